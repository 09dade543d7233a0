// name: contradictions
// description: An authority both designates a group and, elsewhere, denies or revokes that
// description: designation: both sides, each with its articles and a sentence.
// param: group entity = null -- only this group (name or alias, any case)
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query contradictions
// columns: authority string, group string, designation_sources list, designation string, contrary string, contrary_sources list, contrary_evidence string
// the writer marks a denial or revocation `contradicted` while its designation is in the graph
MATCH (other:Fact {contradicted: true})-[:FACT_OBJECT]->(g:Entity)
WHERE $group IS NULL OR toLower($group) IN g.lookup
WITH other, g ORDER BY other.object_name, other.subject_name, other.predicate LIMIT $limit
// the designation is the same fact key under the other predicate
MATCH (d:Fact {key: 'DESIGNATED_AS_TERRORIST' + substring(other.key, size(other.predicate))})
MATCH (other)-[:FACT_SUBJECT]->(authority:Entity)
RETURN authority.name AS authority, g.name AS group, d.sources AS designation_sources, d.evidence AS designation,
       other.predicate AS contrary, other.sources AS contrary_sources, other.evidence AS contrary_evidence
ORDER BY group, authority, contrary
