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
RETURN authority.name AS authority, g.name AS group, d.sources AS designation_sources, d.evidence AS designation,
       other.predicate AS contrary, other.sources AS contrary_sources, other.evidence AS contrary_evidence
ORDER BY group, authority, contrary
