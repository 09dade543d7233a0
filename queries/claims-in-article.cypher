// name: claims-in-article
// description: Every claim one article makes, in reading order, with its evidence sentence.
// param: article article -- the article id (its file name without extension)
// example: kg query claims-in-article -p article 2019-04-us-lists-irgc
// columns: predicate string, subject string, object string, addressee string, role string, former bool, date date, start int, evidence string
// a claim's predicate and object are its fact's, and its subject too unless it names a body acting
// for that state
MATCH (a:Article {id: $article})-[:STATES]->(c:Claim)-[:OF]->(f:Fact)-[:FACT_OBJECT]->(o:Entity)
MATCH (f)-[:FACT_SUBJECT]->(fs:Entity)
OPTIONAL MATCH (c)-[:SUBJECT]->(own:Entity)
WITH c, f, o, coalesce(own, fs) AS s
OPTIONAL MATCH (c)-[:ADDRESSEE]->(to:Entity)
RETURN f.predicate AS predicate, s.name AS subject, o.name AS object, to.name AS addressee,
       c.role AS role, coalesce(c.former, false) AS former, c.date AS date, c.start AS start, c.evidence AS evidence
ORDER BY start, predicate, subject, object
