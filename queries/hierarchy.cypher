// name: hierarchy
// description: The PART_OF tree under a group, three levels deep: each unit with its parent, its
// description: depth below the group (1 = a direct sub-unit) and the articles that say so (up to 20;
// description: read from Fact nodes).
// param: group entity -- the top group's name or any alias, any case
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query hierarchy -p group "Revolutionary Guards"
// columns: root string, unit string, parent string, depth int, sources list
MATCH (:Name {key: toLower($group)})-[:NAMES]->(root:Entity)
// level by level: the facts whose parent was reached at the level above; rows come in depth order,
// so a deeper level is read only while fewer than `limit` rows are found
OPTIONAL MATCH (root)<-[:FACT_OBJECT]-(f1:Fact {predicate: 'PART_OF'})-[:FACT_SUBJECT]->(u1:Entity)
WHERE u1 <> root
WITH root, collect(f1) AS facts1, collect(DISTINCT u1) AS level1
UNWIND CASE WHEN size(facts1) >= $limit OR size(level1) = 0 THEN [null] ELSE level1 END AS p1
OPTIONAL MATCH (p1)<-[:FACT_OBJECT]-(f2:Fact {predicate: 'PART_OF'})-[:FACT_SUBJECT]->(u2:Entity)
WHERE u2 <> root
WITH root, facts1, level1, collect(f2) AS facts2, collect(DISTINCT u2) AS reached2
WITH root, facts1, facts2, [x IN reached2 WHERE NOT x IN level1] AS level2
UNWIND CASE WHEN size(facts1) + size(facts2) >= $limit OR size(level2) = 0 THEN [null] ELSE level2 END AS p2
OPTIONAL MATCH (p2)<-[:FACT_OBJECT]-(f3:Fact {predicate: 'PART_OF'})-[:FACT_SUBJECT]->(u3:Entity)
WHERE u3 <> root
WITH root, facts1, facts2, collect(f3) AS facts3
UNWIND [f IN facts1 | [f, 1]] + [f IN facts2 | [f, 2]] + [f IN facts3 | [f, 3]] AS row
// sorted on the fact's own copies of the names
WITH root, row[0] AS fact, row[1] AS depth
ORDER BY depth, fact.object_name, fact.subject_name LIMIT $limit
RETURN root.name AS root, fact.subject_name AS unit, fact.object_name AS parent, depth, fact.sources AS sources
ORDER BY depth, parent, unit
