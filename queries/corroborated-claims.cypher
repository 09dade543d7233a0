// name: corroborated-claims
// description: Facts stated by at least `min_outlets` different outlets (an article with no outlet
// description: counts as its own), with the outlets and articles that state them.
// description: A government body's designation counts for its state. `articles` lists up to 20.
// param: min_outlets int = 2 -- the least number of distinct outlets
// example: kg query corroborated-claims -p min_outlets 3
MATCH (f:Fact)-[:FACT_SUBJECT]->(s:Entity), (f)-[:FACT_OBJECT]->(o:Entity)
WHERE size(f.outlets) >= $min_outlets
RETURN s.name AS subject, f.predicate AS predicate, o.name AS object, size(f.outlets) AS outlet_count,
       f.outlets AS outlets, f.sources AS articles, f.articles AS article_count
ORDER BY outlet_count DESC, predicate, subject, object
