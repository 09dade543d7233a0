// Constraints and indexes of schema/schema.toml, Neo4j 5 form (see falkordb.cypher beside it).
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (n:Entity) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT fact_key IF NOT EXISTS FOR (n:Fact) REQUIRE n.key IS UNIQUE;
// name lookups start here (a NodeUniqueIndexSeek), not at Entity.lookup: Neo4j indexes no list elements
CREATE CONSTRAINT name_key IF NOT EXISTS FOR (n:Name) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT schema_id IF NOT EXISTS FOR (n:Schema) REQUIRE n.id IS UNIQUE;
CREATE INDEX article_content_hash IF NOT EXISTS FOR (n:Article) ON (n.content_hash);
CREATE INDEX article_date IF NOT EXISTS FOR (n:Article) ON (n.date);
CREATE INDEX article_outlet IF NOT EXISTS FOR (n:Article) ON (n.outlet);
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE INDEX entity_type IF NOT EXISTS FOR (n:Entity) ON (n.type);
CREATE INDEX entity_designated_by IF NOT EXISTS FOR (n:Entity) ON (n.designated_by);
CREATE INDEX entity_leader_facts IF NOT EXISTS FOR (n:Entity) ON (n.leader_facts);
CREATE INDEX fact_predicate IF NOT EXISTS FOR (n:Fact) ON (n.predicate);
CREATE INDEX fact_contradicted IF NOT EXISTS FOR (n:Fact) ON (n.contradicted);
CREATE INDEX fact_outlet_count IF NOT EXISTS FOR (n:Fact) ON (n.outlet_count);
CREATE FULLTEXT INDEX entity_name_text IF NOT EXISTS FOR (n:Entity) ON EACH [n.name];
// kg's writer lock is a lease on the (:Schema {id: 'kg'}) node (TAKE_LEASE in kg/store.py)
