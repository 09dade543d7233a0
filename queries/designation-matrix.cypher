// name: designation-matrix
// description: One row per designated group with every country (or supranational body, such as
// description: the European Union) that designates it; government bodies roll up to their country.
// description: `statements` counts, over its designators, the articles stating each designation.
// example: kg query designation-matrix
// columns: group string, designated_by int, countries list, statements int
MATCH (f:Fact {predicate: 'DESIGNATED_AS_TERRORIST'})-[:FACT_SUBJECT]->(designator:Entity), (f)-[:FACT_OBJECT]->(g:Entity)
WITH g, designator, f ORDER BY designator.name
WITH g, collect(DISTINCT designator.name) AS designators, toInteger(sum(f.articles)) AS statements
RETURN g.name AS group, size(designators) AS designated_by, designators AS countries, statements
ORDER BY designated_by DESC, group
