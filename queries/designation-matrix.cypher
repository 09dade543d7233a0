// name: designation-matrix
// description: One row per designated group with every country (or supranational body, such as
// description: the European Union) that designates it; government bodies roll up to their country.
// example: kg query designation-matrix
MATCH (a:Article)-[:STATES]->(c:Claim {predicate: 'DESIGNATED_AS_TERRORIST'})-[:SUBJECT]->(actor:Entity),
      (c)-[:OBJECT]->(g:Entity)
OPTIONAL MATCH (actor)-[:AGENCY_OF]->(state:Country)
WITH g, a, coalesce(state, actor) AS designator
WITH g, a, designator ORDER BY designator.name, a.id
WITH g, collect(DISTINCT designator.name) AS designators, collect(DISTINCT a.id) AS sources
RETURN g.name AS group, size(designators) AS designated_by, designators AS countries, sources
ORDER BY designated_by DESC, group
