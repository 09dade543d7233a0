// name: hierarchy
// description: The PART_OF tree under a group, three levels deep: each unit with its parent, its
// description: depth below the group (1 = a direct sub-unit) and the articles that say so.
// param: group string -- the top group's name or any alias, any case
// example: kg query hierarchy -p group "Revolutionary Guards"
MATCH (root:Entity)
WHERE toLower(root.name) = toLower($group)
   OR toLower($group) IN [x IN coalesce(root.aliases, []) + coalesce(root.known_aliases, []) | toLower(x)]
OPTIONAL MATCH (root)<-[:OBJECT]-(c1:Claim {predicate: 'PART_OF'})-[:SUBJECT]->(u1:Entity)
OPTIONAL MATCH (u1)<-[:OBJECT]-(c2:Claim {predicate: 'PART_OF'})-[:SUBJECT]->(u2:Entity)
OPTIONAL MATCH (u2)<-[:OBJECT]-(c3:Claim {predicate: 'PART_OF'})-[:SUBJECT]->(u3:Entity)
UNWIND [[c1, u1, root, 1], [c2, u2, u1, 2], [c3, u3, u2, 3]] AS step
WITH root, step[0] AS claim, step[1] AS unit, step[2] AS parent, step[3] AS depth
WHERE claim IS NOT NULL AND unit <> root
MATCH (a:Article)-[:STATES]->(claim)
WITH root, unit, parent, depth, a ORDER BY a.id
WITH root, unit, parent, min(depth) AS depth, collect(DISTINCT a.id) AS sources
RETURN root.name AS root, unit.name AS unit, parent.name AS parent, depth, sources
ORDER BY depth, parent, unit
