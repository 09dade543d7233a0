// name: backing-network
// description: Who supports whom around an entity: SUPPORTS claims reached from it in either
// description: direction within `depth` hops (at most 3), each backer → backed pair once, with the
// description: hop it was first reached at and the articles that say so (up to 20; read from Fact nodes).
// param: entity string -- the starting entity's name or any alias, any case
// param: depth int = 2 -- how many hops to follow, 1 to 3
// example: kg query backing-network -p entity Iran -p depth 1
MATCH (start:Entity)
WHERE toLower($entity) IN start.lookup
// each hop reduces to distinct entities before the next, so the work grows with entities, not paths
OPTIONAL MATCH (start)<-[:FACT_SUBJECT|FACT_OBJECT]-(:Fact {predicate: 'SUPPORTS'})-[:FACT_SUBJECT|FACT_OBJECT]->(n1:Entity)
WITH start, [x IN collect(DISTINCT n1) WHERE x <> start] AS hop1
UNWIND CASE WHEN $depth >= 2 AND size(hop1) > 0 THEN hop1 ELSE [null] END AS from1
OPTIONAL MATCH (from1)<-[:FACT_SUBJECT|FACT_OBJECT]-(:Fact {predicate: 'SUPPORTS'})-[:FACT_SUBJECT|FACT_OBJECT]->(n2:Entity)
WITH start, hop1, [x IN collect(DISTINCT n2) WHERE x <> start AND NOT x IN hop1] AS hop2
// an entity reached at hop k leads to the claims of hop k + 1
UNWIND [[start, 0]] + [x IN hop1 | [x, 1]] + [x IN hop2 | [x, 2]] AS reached
WITH reached[0] AS e, reached[1] AS level
WHERE level < $depth
MATCH (e)<-[:FACT_SUBJECT|FACT_OBJECT]-(fact:Fact {predicate: 'SUPPORTS'})
MATCH (fact)-[:FACT_SUBJECT]->(backer:Entity), (fact)-[:FACT_OBJECT]->(backed:Entity)
WITH backer, backed, fact, min(level) + 1 AS hop
RETURN backer.name AS backer, backed.name AS backed, hop, fact.sources AS sources
ORDER BY hop, backer, backed
