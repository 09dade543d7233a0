// name: timeline
// description: What the graph holds about an entity (as subject or object) in date order, each fact
// description: once: at the earliest date a sentence gives for it, else the earliest date of an
// description: article stating it (`dated_by` says which), with how many articles state it, up to 20
// description: of them and the first sentence. Read from Fact nodes; `kg query claim-sources` lists
// description: every statement of a fact.
// param: entity string -- the entity's name or any alias, any case
// param: limit int = 100 -- at most this many rows (the first in the order given)
// example: kg query timeline -p entity Hamas
MATCH (e:Entity)
WHERE toLower($entity) IN e.lookup
MATCH (e)<-[:FACT_SUBJECT|FACT_OBJECT]-(f:Fact)
WITH DISTINCT f, coalesce(f.first_date, f.first_seen) AS date
WHERE date IS NOT NULL
MATCH (f)-[:FACT_SUBJECT]->(s:Entity), (f)-[:FACT_OBJECT]->(o:Entity)
RETURN date, CASE WHEN f.first_date IS NULL THEN 'article' ELSE 'claim' END AS dated_by,
       s.name AS subject, f.predicate AS predicate, o.name AS object, f.articles AS articles,
       f.sources AS sources, f.evidence AS evidence
ORDER BY date, predicate, subject, object
LIMIT $limit
