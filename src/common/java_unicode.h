// Java's character data as String.toLowerCase() uses it, from tables read off the JDK that Spark
// runs on (java_lower_tables.inc, made by unicode/GenerateJavaTables.java on JDK 17, whose
// Unicode version is 13.0; Python's own tables follow the building interpreter instead).
#pragma once

namespace parafeat::java {

/// java.lang.Character.toLowerCase(int): the simple lower-case mapping (itself if none).
char32_t simple_lower(char32_t cp);

/// java.lang.ConditionalSpecialCasing.isCased(int), which the final-sigma rule asks.
bool is_cased(char32_t cp);

}  // namespace parafeat::java
