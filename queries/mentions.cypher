// name: mentions
// description: The articles that mention an entity, most recent first, with the forms they used.
// param: entity entity -- the entity's name or any alias, any case
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query mentions -p entity "Quds Force"
// columns: entity string, article string, date date, title string, outlet string, forms list, count int
MATCH (:Name {key: toLower($entity)})-[:NAMES]->(e:Entity)
MATCH (a:Article)-[:MENTIONS]->(e)
// order and cut on the sort keys alone, then read the rest (the mention too) for the rows kept
WITH e, a, a.date AS date, a.id AS article
ORDER BY date DESC, article
LIMIT $limit
MATCH (a)-[m:MENTIONS]->(e)
// a mention stores no forms when it used the entity's name alone, no count when once (kg/write.py)
RETURN e.name AS entity, article, date, a.title AS title, a.outlet AS outlet, coalesce(m.forms, [e.name]) AS forms,
       coalesce(m.count, 1) AS count
