// name: designations-by-country
// description: Which groups each country designates as terrorist: first stated date, how many
// description: articles and outlets say so, and the source articles. Bodies (State Department,
// description: Home Office) roll up to their country.
// description: Read from Fact nodes (see schema/README.md): `sources` lists up to 20 articles,
// description: `kg query claim-sources` gives all of them.
// param: country string = null -- only this designating country (name or alias, any case)
// param: group string = null -- only this group (name or alias, any case)
// example: kg query designations-by-country
// example: kg query designations-by-country -p country "united kingdom"
MATCH (f:Fact {predicate: 'DESIGNATED_AS_TERRORIST'})-[:FACT_SUBJECT]->(country:Country), (f)-[:FACT_OBJECT]->(g:Entity)
WHERE ($country IS NULL OR toLower($country) IN country.lookup)
  AND ($group IS NULL OR toLower($group) IN g.lookup)
RETURN country.name AS country, g.name AS group, f.first_date AS first_date, f.articles AS articles,
       size(f.outlets) AS outlets, f.sources AS sources
ORDER BY country, group
