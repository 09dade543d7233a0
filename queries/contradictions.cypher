// name: contradictions
// description: An authority both designates a group and, elsewhere, denies or revokes that
// description: designation: both sides, each with its articles and a sentence.
// param: group string = null -- only this group (name or alias, any case)
// example: kg query contradictions
// start from the rarer side (denials, revocations), then look designations up by their fact key
MATCH (oa:Article)-[:STATES]->(other:Claim)-[:SUBJECT]->(authority:Entity), (other)-[:OBJECT]->(g:Entity)
WHERE other.predicate IN ['DENIED_DESIGNATION', 'REVOKED_DESIGNATION']
  AND ($group IS NULL OR toLower(g.name) = toLower($group)
       OR toLower($group) IN [x IN coalesce(g.aliases, []) + coalesce(g.known_aliases, []) | toLower(x)])
WITH authority, g, other.predicate AS contrary, oa, other ORDER BY oa.id
WITH authority, g, contrary, collect(DISTINCT oa.id) AS contrary_sources, collect(other.evidence)[0] AS contrary_evidence
MATCH (da:Article)-[:STATES]->(d:Claim {fact: 'DESIGNATED_AS_TERRORIST|' + authority.key + '|' + g.key})
WITH authority, g, contrary, contrary_sources, contrary_evidence, da, d ORDER BY da.id
WITH authority, g, contrary, contrary_sources, contrary_evidence,
     collect(DISTINCT da.id) AS designation_sources, collect(d.evidence)[0] AS designation
RETURN authority.name AS authority, g.name AS group, designation_sources, designation, contrary,
       contrary_sources, contrary_evidence
ORDER BY group, authority, contrary
