// name: find-entity
// description: Entities whose name or any alias contains the text (any case), exact names first,
// description: then the most mentioned: the way to learn the names other queries accept, and why
// description: kg merged each entity's spellings into one (why_merged).
// param: text string -- part of a name or alias
// example: kg query find-entity -p text guard
// columns: name string, type string, id string, aliases list, articles int, why_merged list
MATCH (e:Entity)
WHERE size([x IN e.lookup WHERE x CONTAINS toLower($text)]) > 0
WITH e, e.articles AS articles
RETURN e.name AS name, e.type AS type, e.id AS id,
       reduce(seen = [], x IN coalesce(e.known_aliases, []) + coalesce(e.aliases, []) |
              CASE WHEN x = e.name OR x IN seen THEN seen ELSE seen + x END) AS aliases,
       articles, coalesce(e.merge_reasons, []) AS why_merged
ORDER BY CASE WHEN toLower(e.name) = toLower($text) THEN 0 ELSE 1 END, articles DESC, name
