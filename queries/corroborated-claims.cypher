// name: corroborated-claims
// description: Facts stated by at least `min_outlets` different outlets (an article with no outlet
// description: counts as its own), with the outlets and articles that state them.
// param: min_outlets int = 2 -- the least number of distinct outlets
// example: kg query corroborated-claims -p min_outlets 3
MATCH (a:Article)-[:STATES]->(c:Claim)-[:SUBJECT]->(s:Entity), (c)-[:OBJECT]->(o:Entity)
WITH c.fact AS fact, c.predicate AS predicate, s, o, a ORDER BY a.id
WITH fact, predicate, s, o, collect(DISTINCT coalesce(a.outlet, a.id)) AS outlets, collect(DISTINCT a.id) AS articles
WHERE size(outlets) >= $min_outlets
RETURN s.name AS subject, predicate, o.name AS object, size(outlets) AS outlet_count, outlets, articles
ORDER BY outlet_count DESC, predicate, subject, object
