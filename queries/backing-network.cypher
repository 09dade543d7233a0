// name: backing-network
// description: Who supports whom around an entity: SUPPORTS claims reached from it in either
// description: direction within `depth` hops (at most 3), each backer → backed pair once, with the
// description: hop it was first reached at and the articles that say so.
// param: entity string -- the starting entity's name or any alias, any case
// param: depth int = 2 -- how many hops to follow, 1 to 3
// example: kg query backing-network -p entity Iran -p depth 1
MATCH (start:Entity)
WHERE toLower(start.name) = toLower($entity)
   OR toLower($entity) IN [x IN coalesce(start.aliases, []) + coalesce(start.known_aliases, []) | toLower(x)]
OPTIONAL MATCH (start)<-[:SUBJECT|OBJECT]-(c1:Claim {predicate: 'SUPPORTS'})-[:SUBJECT|OBJECT]->(n1:Entity)
WHERE n1 <> start
OPTIONAL MATCH (n1)<-[:SUBJECT|OBJECT]-(c2:Claim {predicate: 'SUPPORTS'})-[:SUBJECT|OBJECT]->(n2:Entity)
WHERE $depth >= 2 AND n2 <> n1 AND c2 <> c1
OPTIONAL MATCH (n2)<-[:SUBJECT|OBJECT]-(c3:Claim {predicate: 'SUPPORTS'})-[:SUBJECT|OBJECT]->(n3:Entity)
WHERE $depth >= 3 AND n3 <> n2 AND c3 <> c2 AND c3 <> c1
UNWIND [[c1, 1], [c2, 2], [c3, 3]] AS step
WITH step[0] AS claim, step[1] AS hop
WHERE claim IS NOT NULL
MATCH (a:Article)-[:STATES]->(claim)-[:SUBJECT]->(backer:Entity), (claim)-[:OBJECT]->(backed:Entity)
WITH backer, backed, hop, a ORDER BY a.id
WITH backer, backed, min(hop) AS hop, collect(DISTINCT a.id) AS sources
RETURN backer.name AS backer, backed.name AS backed, hop, sources
ORDER BY hop, backer, backed
