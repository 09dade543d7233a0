// name: timeline
// description: What the graph holds about an entity (as subject or object) in date order, each fact
// description: once: at the earliest date a sentence gives for it, else the earliest date of an
// description: article stating it (`dated_by` says which; `date_text` the words a sentence dated it
// description: by, also when they name no date kg can place, e.g. "in April" in an undated article), with
// description: how many articles state it, up to 20 of them and the first sentence. Facts no sentence
// description: or article dates come last (`dated_by` undated). Read from Fact nodes;
// description: `kg query claim-sources` lists every statement of a fact.
// param: entity entity -- the entity's name or any alias, any case
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query timeline -p entity Hamas
// columns: date date, dated_by string, date_text string, subject string, predicate string, object string, articles int, sources list, evidence string
MATCH (:Name {key: toLower($entity)})-[:NAMES]->(e:Entity)
MATCH (e)<-[:FACT_SUBJECT|FACT_OBJECT]-(f:Fact)
WITH DISTINCT f, coalesce(f.first_date, f.first_seen) AS date
WITH f, date, CASE WHEN date IS NULL THEN 1 ELSE 0 END AS undated
ORDER BY undated, date, f.predicate, f.subject_name, f.object_name
LIMIT $limit
MATCH (f)-[:FACT_SUBJECT]->(s:Entity), (f)-[:FACT_OBJECT]->(o:Entity)
OPTIONAL MATCH (f)<-[:OF]-(c:Claim)
WHERE c.date_text IS NOT NULL AND (c.date = f.first_date OR f.first_date IS NULL)
WITH f, date, undated, s, o, c ORDER BY c.date_text
WITH f, date, undated, s, o, collect(c.date_text) AS words
RETURN date, CASE WHEN f.first_date IS NOT NULL THEN 'claim' WHEN f.first_seen IS NOT NULL THEN 'article'
                  ELSE 'undated' END AS dated_by, head(words) AS date_text,
       s.name AS subject, f.predicate AS predicate, o.name AS object, f.articles AS articles,
       f.sources AS sources, f.evidence AS evidence
ORDER BY undated, date, predicate, subject, object
