// name: corroborated-claims
// description: Facts stated by at least `min_outlets` different outlets (an article with no outlet
// description: counts as its own), the most corroborated first, with the outlets and articles that
// description: state them. A government body's designation counts for its state. `articles` lists up to 20.
// param: min_outlets int = 2 in 1.. -- the least number of distinct outlets
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query corroborated-claims -p min_outlets 3
// columns: subject string, predicate string, object string, outlet_count int, outlets list, articles list, article_count int
MATCH (f:Fact)
WHERE f.outlet_count >= $min_outlets
// sorted on the fact's own copies of the names, so only the rows kept read their entities
WITH f ORDER BY f.outlet_count DESC, f.predicate, f.subject_name, f.object_name LIMIT $limit
MATCH (f)-[:FACT_SUBJECT]->(s:Entity), (f)-[:FACT_OBJECT]->(o:Entity)
RETURN s.name AS subject, f.predicate AS predicate, o.name AS object, f.outlet_count AS outlet_count,
       f.outlets AS outlets, f.sources AS articles, f.articles AS article_count
ORDER BY outlet_count DESC, predicate, subject, object
