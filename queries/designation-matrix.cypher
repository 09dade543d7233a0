// name: designation-matrix
// description: One row per designated group with every country (or supranational body, such as
// description: the European Union) that designates it; government bodies roll up to their country.
// description: `statements` counts, over its designators, the articles stating each designation.
// example: kg query designation-matrix
// columns: group string, designated_by int, countries list, statements int
// read from the groups: the writer keeps each designated group's designators (names in order) and
// the articles stating its designations, as its designation facts come and go
MATCH (g:Entity)
WHERE g.designated_by > 0
RETURN g.name AS group, g.designated_by AS designated_by, g.designators AS countries,
       g.designation_statements AS statements
ORDER BY designated_by DESC, group
