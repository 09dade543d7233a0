// name: designations-by-country
// description: Which groups each country designates as terrorist: first stated date, how many
// description: articles and outlets say so, and the source articles. Bodies (State Department,
// description: Home Office) roll up to their country.
// description: Read from Fact nodes (see schema/README.md): `sources` lists up to 20 articles,
// description: `kg query claim-sources` gives all of them.
// param: country entity = null -- only this designating country (name or alias, any case)
// param: group entity = null -- only this group (name or alias, any case)
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query designations-by-country
// example: kg query designations-by-country -p country "united kingdom"
// columns: country string, group string, first_date date, articles int, outlets int, sources list
// three parts, one for each way of asking, so each reads only what it needs: no name given, every
// designation by a country sorted on the fact's own copies of the names …
// no name given, or this part yields no row and reads nothing (a WHERE after the MATCH would scan first)
UNWIND CASE WHEN $country IS NULL AND $group IS NULL THEN [true] ELSE [] END AS unnamed
MATCH (f:Fact {predicate: 'DESIGNATED_AS_TERRORIST'})-[:FACT_SUBJECT]->(:Country)
WITH f ORDER BY f.subject_name, f.object_name LIMIT $limit
MATCH (f)-[:FACT_SUBJECT]->(country:Country), (f)-[:FACT_OBJECT]->(g:Entity)
RETURN country.name AS country, g.name AS group, f.first_date AS first_date, f.articles AS articles,
       f.outlet_count AS outlets, f.sources AS sources
ORDER BY country, group
UNION ALL
// … a country named: its designations …
MATCH (:Name {key: toLower($country)})-[:NAMES]->(country:Country)
WITH country
MATCH (country)<-[:FACT_SUBJECT]-(f:Fact {predicate: 'DESIGNATED_AS_TERRORIST'})-[:FACT_OBJECT]->(g:Entity)
WHERE $group IS NULL OR toLower($group) IN g.lookup
RETURN country.name AS country, g.name AS group, f.first_date AS first_date, f.articles AS articles,
       f.outlet_count AS outlets, f.sources AS sources
ORDER BY country, group LIMIT $limit
UNION ALL
// … only a group named: the countries designating it
MATCH (:Name {key: toLower($group)})-[:NAMES]->(g:Entity) WHERE $country IS NULL
WITH g
MATCH (g)<-[:FACT_OBJECT]-(f:Fact {predicate: 'DESIGNATED_AS_TERRORIST'})-[:FACT_SUBJECT]->(country:Country)
RETURN country.name AS country, g.name AS group, f.first_date AS first_date, f.articles AS articles,
       f.outlet_count AS outlets, f.sources AS sources
ORDER BY country, group LIMIT $limit
