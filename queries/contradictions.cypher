// name: contradictions
// description: An authority both designates a group and, elsewhere, denies or revokes that
// description: designation: both sides, each with its articles and a sentence.
// param: group string = null -- only this group (name or alias, any case)
// example: kg query contradictions
MATCH (other:Fact)-[:SUBJECT]->(authority:Entity), (other)-[:OBJECT]->(g:Entity)
WHERE other.predicate IN ['DENIED_DESIGNATION', 'REVOKED_DESIGNATION']
  AND ($group IS NULL OR toLower(g.name) = toLower($group)
       OR toLower($group) IN [x IN coalesce(g.aliases, []) + coalesce(g.known_aliases, []) | toLower(x)])
MATCH (d:Fact {key: 'DESIGNATED_AS_TERRORIST|' + authority.key + '|' + g.key})
MATCH (d)<-[:OF]-(dc:Claim)
WITH authority, g, other, d, dc ORDER BY dc.id
WITH authority, g, other, d, collect(dc.evidence)[0] AS designation
MATCH (other)<-[:OF]-(oc:Claim)
WITH authority, g, other, d, designation, oc ORDER BY oc.id
WITH authority, g, other, d, designation, collect(oc.evidence)[0] AS contrary_evidence
RETURN authority.name AS authority, g.name AS group, d.sources AS designation_sources, designation,
       other.predicate AS contrary, other.sources AS contrary_sources, contrary_evidence
ORDER BY group, authority, contrary
