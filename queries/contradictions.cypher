// name: contradictions
// description: An authority both designates a group and, elsewhere, denies or revokes that
// description: designation: both sides, each with its articles and a sentence.
// param: group string = null -- only this group (name or alias, any case)
// example: kg query contradictions
MATCH (da:Article)-[:STATES]->(d:Claim {predicate: 'DESIGNATED_AS_TERRORIST'})-[:SUBJECT]->(authority:Entity),
      (d)-[:OBJECT]->(g:Entity),
      (oa:Article)-[:STATES]->(other:Claim)-[:SUBJECT]->(authority),
      (other)-[:OBJECT]->(g)
WHERE other.predicate IN ['DENIED_DESIGNATION', 'REVOKED_DESIGNATION']
  AND ($group IS NULL OR toLower(g.name) = toLower($group)
       OR toLower($group) IN [x IN coalesce(g.aliases, []) + coalesce(g.known_aliases, []) | toLower(x)])
WITH authority, g, other.predicate AS contrary, da, d, oa, other ORDER BY da.id, oa.id
WITH authority, g, contrary, collect(DISTINCT da.id) AS designation_sources, collect(d.evidence)[0] AS designation,
     collect(DISTINCT oa.id) AS contrary_sources, collect(other.evidence)[0] AS contrary_evidence
RETURN authority.name AS authority, g.name AS group, designation_sources, designation, contrary,
       contrary_sources, contrary_evidence
ORDER BY group, authority, contrary
