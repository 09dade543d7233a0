// name: calls-for-designation
// description: Who urged which authorities (the addressees) to designate which group: one row per
// description: caller and group, with the earliest date, how many articles say so, up to 20 of them
// description: and the first sentence (`kg query claim-sources` lists every one). Calls only: a
// description: designation, denial or revocation never appears here. Read from Fact nodes.
// param: group entity = null -- only calls about this group (name or alias, any case)
// param: addressee entity = null -- only calls addressed to this authority (name or alias, any case)
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query calls-for-designation
// example: kg query calls-for-designation -p addressee "UK"
// columns: caller string, addressees list, group string, date date, articles int, sources list, evidence string
// three parts, one for each way of asking, so each reads only what it needs: no name given, every
// call sorted on the fact's own copies of the names (only the rows kept read their entities) …
// no name given, or this part yields no row and reads nothing (a WHERE after the MATCH would scan first)
UNWIND CASE WHEN $group IS NULL AND $addressee IS NULL THEN [true] ELSE [] END AS unnamed
MATCH (f:Fact {predicate: 'CALLED_FOR_DESIGNATION'})
WITH f ORDER BY f.object_name, f.subject_name LIMIT $limit
MATCH (f)-[:FACT_SUBJECT]->(caller:Entity), (f)-[:FACT_OBJECT]->(g:Entity)
RETURN caller.name AS caller, f.addressees AS addressees, g.name AS group,
       coalesce(f.first_date, f.first_seen) AS date, f.articles AS articles, f.sources AS sources,
       f.evidence AS evidence
ORDER BY group, caller
UNION ALL
// … a group named: the calls about it …
MATCH (:Name {key: toLower($group)})-[:NAMES]->(g:Entity)
WITH g
MATCH (g)<-[:FACT_OBJECT]-(f:Fact {predicate: 'CALLED_FOR_DESIGNATION'})-[:FACT_SUBJECT]->(caller:Entity)
OPTIONAL MATCH (:Name {key: toLower($addressee)})-[:NAMES]->(to:Entity)
// counted in a WITH first: FalkorDB drops every row when this list test sits in the WHERE itself
WITH f, caller, g, size([k IN collect(to.key) WHERE k IN f.addressee_keys]) AS urged_here
WHERE $addressee IS NULL OR urged_here > 0
RETURN caller.name AS caller, f.addressees AS addressees, g.name AS group,
       coalesce(f.first_date, f.first_seen) AS date, f.articles AS articles, f.sources AS sources,
       f.evidence AS evidence
ORDER BY group, caller LIMIT $limit
UNION ALL
// … only an addressee named: every call, those that urged it kept
OPTIONAL MATCH (:Name {key: toLower($addressee)})-[:NAMES]->(to:Entity) WHERE $group IS NULL
WITH collect(to.key) AS urged
// no addressee found: no row, so the facts are not read
UNWIND CASE WHEN size(urged) > 0 THEN [urged] ELSE [] END AS urged_keys
MATCH (f:Fact {predicate: 'CALLED_FOR_DESIGNATION'})
WITH f, size([k IN urged_keys WHERE k IN f.addressee_keys]) AS urged_here
WHERE urged_here > 0
WITH f ORDER BY f.object_name, f.subject_name LIMIT $limit
MATCH (f)-[:FACT_SUBJECT]->(caller:Entity), (f)-[:FACT_OBJECT]->(g:Entity)
RETURN caller.name AS caller, f.addressees AS addressees, g.name AS group,
       coalesce(f.first_date, f.first_seen) AS date, f.articles AS articles, f.sources AS sources,
       f.evidence AS evidence
ORDER BY group, caller
