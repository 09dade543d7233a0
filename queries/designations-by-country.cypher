// name: designations-by-country
// description: Which groups each country designates as terrorist: first stated date, how many
// description: articles and outlets say so, and the source articles. Bodies (State Department,
// description: Home Office) roll up to their country.
// param: country string = null -- only this designating country (name or alias, any case)
// param: group string = null -- only this group (name or alias, any case)
// example: kg query designations-by-country
// example: kg query designations-by-country -p country "united kingdom"
MATCH (a:Article)-[:STATES]->(c:Claim {predicate: 'DESIGNATED_AS_TERRORIST'})-[:SUBJECT]->(actor:Entity),
      (c)-[:OBJECT]->(g:Entity)
OPTIONAL MATCH (actor)-[:AGENCY_OF]->(state:Country)
WITH a, c, g, CASE WHEN actor:Country THEN actor ELSE state END AS country
WHERE country IS NOT NULL
  AND ($country IS NULL OR toLower(country.name) = toLower($country)
       OR toLower($country) IN [x IN coalesce(country.aliases, []) + coalesce(country.known_aliases, []) | toLower(x)])
  AND ($group IS NULL OR toLower(g.name) = toLower($group)
       OR toLower($group) IN [x IN coalesce(g.aliases, []) + coalesce(g.known_aliases, []) | toLower(x)])
WITH country, g, a, c ORDER BY a.id
WITH country, g, collect(DISTINCT a.id) AS articles, collect(DISTINCT coalesce(a.outlet, a.id)) AS outlets,
     [d IN collect(c.date) WHERE d IS NOT NULL] AS dates
RETURN country.name AS country, g.name AS group,
       reduce(first = null, d IN dates | CASE WHEN first IS NULL OR d < first THEN d ELSE first END) AS first_date,
       size(articles) AS articles, size(outlets) AS outlets, articles AS sources
ORDER BY country, group
