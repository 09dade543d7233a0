// name: mentions
// description: The articles that mention an entity, most recent first, with the forms they used.
// param: entity string -- the entity's name or any alias, any case
// param: limit int = 100 -- at most this many rows (the first in the order given)
// example: kg query mentions -p entity "Quds Force"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR toLower($entity) IN [x IN coalesce(e.aliases, []) + coalesce(e.known_aliases, []) | toLower(x)]
MATCH (a:Article)-[m:MENTIONS]->(e)
RETURN e.name AS entity, a.id AS article, a.date AS date, a.title AS title, a.outlet AS outlet,
       m.forms AS forms, m.count AS count
ORDER BY date DESC, article
LIMIT $limit
