// name: hierarchy
// description: The PART_OF tree under a group, three levels deep: each unit with its parent, its
// description: depth below the group (1 = a direct sub-unit) and the articles that say so (up to 20;
// description: read from Fact nodes).
// param: group string -- the top group's name or any alias, any case
// example: kg query hierarchy -p group "Revolutionary Guards"
MATCH (root:Entity)
WHERE toLower($group) IN root.lookup
// each level reduces to distinct units before the next, so the work grows with units, not paths
OPTIONAL MATCH (root)<-[:FACT_OBJECT]-(:Fact {predicate: 'PART_OF'})-[:FACT_SUBJECT]->(u1:Entity)
WITH root, [x IN collect(DISTINCT u1) WHERE x <> root] AS level1
UNWIND CASE WHEN size(level1) > 0 THEN level1 ELSE [null] END AS p1
OPTIONAL MATCH (p1)<-[:FACT_OBJECT]-(:Fact {predicate: 'PART_OF'})-[:FACT_SUBJECT]->(u2:Entity)
WITH root, level1, [x IN collect(DISTINCT u2) WHERE x <> root AND NOT x IN level1] AS level2
UNWIND [[root, 0]] + [x IN level1 | [x, 1]] + [x IN level2 | [x, 2]] AS reached
WITH root, reached[0] AS parent, reached[1] AS level
MATCH (parent)<-[:FACT_OBJECT]-(fact:Fact {predicate: 'PART_OF'})-[:FACT_SUBJECT]->(unit:Entity)
WHERE unit <> root
WITH root, unit, parent, fact, min(level) + 1 AS depth
RETURN root.name AS root, unit.name AS unit, parent.name AS parent, depth, fact.sources AS sources
ORDER BY depth, parent, unit
