// name: timeline
// description: Claims about an entity (as subject or object) in date order: the claim's own date
// description: when the sentence gives one, else the article's date (`dated_by` says which).
// param: entity string -- the entity's name or any alias, any case
// param: limit int = 100 -- at most this many rows (the first in the order given)
// example: kg query timeline -p entity Hamas
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR toLower($entity) IN [x IN coalesce(e.aliases, []) + coalesce(e.known_aliases, []) | toLower(x)]
MATCH (a:Article)-[:STATES]->(c:Claim)-[:SUBJECT|OBJECT]->(e)
MATCH (c)-[:SUBJECT]->(s:Entity), (c)-[:OBJECT]->(o:Entity)
WITH a, c, s, o, coalesce(c.date, a.date) AS date
WHERE date IS NOT NULL
RETURN date, CASE WHEN c.date IS NULL THEN 'article' ELSE 'claim' END AS dated_by,
       s.name AS subject, c.predicate AS predicate, o.name AS object, a.id AS article, c.evidence AS evidence
ORDER BY date, article, c.start
LIMIT $limit
