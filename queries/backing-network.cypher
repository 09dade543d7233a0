// name: backing-network
// description: Who supports whom around an entity: SUPPORTS claims reached from it in either
// description: direction within `depth` hops (at most 3), each backer → backed pair once, with the
// description: hop it was first reached at and the articles that say so (up to 20; read from Fact nodes).
// param: entity entity -- the starting entity's name or any alias, any case
// param: depth int = 2 in 1..3 -- how many hops to follow
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query backing-network -p entity Iran -p depth 1
// columns: backer string, backed string, hop int, sources list
MATCH (:Name {key: toLower($entity)})-[:NAMES]->(start:Entity)
// hop by hop: the SUPPORTS facts touching an entity reached at the hop before (the start at hop 0);
// rows come in hop order, so a further hop is read only while fewer than `limit` rows are found
OPTIONAL MATCH (start)<-[:FACT_SUBJECT|FACT_OBJECT]-(f1:Fact {predicate: 'SUPPORTS'})-[:FACT_SUBJECT|FACT_OBJECT]->(n1:Entity)
WHERE n1 <> start
WITH start, collect(DISTINCT f1) AS facts1, collect(DISTINCT n1) AS hop1
UNWIND CASE WHEN $depth < 2 OR size(facts1) >= $limit OR size(hop1) = 0 THEN [null] ELSE hop1 END AS from1
OPTIONAL MATCH (from1)<-[:FACT_SUBJECT|FACT_OBJECT]-(f2:Fact {predicate: 'SUPPORTS'})-[:FACT_SUBJECT|FACT_OBJECT]->(n2:Entity)
WITH start, facts1, hop1, collect(DISTINCT f2) AS found2, collect(DISTINCT n2) AS reached2
WITH start, facts1, [f IN found2 WHERE NOT f IN facts1] AS facts2, [x IN reached2 WHERE x <> start AND NOT x IN hop1] AS hop2
UNWIND CASE WHEN $depth < 3 OR size(facts1) + size(facts2) >= $limit OR size(hop2) = 0 THEN [null] ELSE hop2 END AS from2
OPTIONAL MATCH (from2)<-[:FACT_SUBJECT|FACT_OBJECT]-(f3:Fact {predicate: 'SUPPORTS'})
WITH facts1, facts2, [f IN collect(DISTINCT f3) WHERE NOT f IN facts1 AND NOT f IN facts2] AS facts3
UNWIND [f IN facts1 | [f, 1]] + [f IN facts2 | [f, 2]] + [f IN facts3 | [f, 3]] AS row
// sorted on the fact's own copies of the names
WITH row[0] AS fact, row[1] AS hop
ORDER BY hop, fact.subject_name, fact.object_name LIMIT $limit
RETURN fact.subject_name AS backer, fact.object_name AS backed, hop, fact.sources AS sources
ORDER BY hop, backer, backed
