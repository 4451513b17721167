# Build with the project's own Maven wrapper. Tests are not run here: they need a database (see README).
# Full version tags, so that a rebuild next month runs the same JVM; .ci/docker.sh builds with the same tags.
FROM eclipse-temurin:17.0.15_6-jdk-noble AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/customers-0.1.0.jar extract --layers --destination target/extracted

# Run the extracted jar on a JRE as a non-root user; dependencies change least, so they come first.
FROM eclipse-temurin:17.0.15_6-jre-noble
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home customers
WORKDIR /app
COPY --from=build /src/target/extracted/dependencies/ ./
COPY --from=build /src/target/extracted/spring-boot-loader/ ./
COPY --from=build /src/target/extracted/snapshot-dependencies/ ./
COPY --from=build /src/target/extracted/application/ ./
COPY src/main/jvm/jvm.options ./
# Class data sharing, as Spring Boot documents it for an extracted jar: a training run that refreshes the context and
# exits, recording the classes it loaded; every start then maps them instead of loading them. The training run has
# no database, so it skips the migration (nothing else connects during the refresh).
RUN java @jvm.options -XX:ArchiveClassesAtExit=application.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
    -Dspring.context.exit=onRefresh -jar customers-0.1.0.jar --spring.flyway.enabled=false > /dev/null
USER customers
EXPOSE 8080 8081
ENTRYPOINT ["java", "@jvm.options", "-XX:SharedArchiveFile=application.jsa", "-Xlog:cds=off", "-jar", "customers-0.1.0.jar"]
