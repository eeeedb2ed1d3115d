# dq: build with the Maven wrapper on a JDK, run on a JRE as a non-root user.
#   docker build -t dq .
#   docker run --rm -e DQ_BROKER=redis -e DQ_REDIS_URL=redis://redis:6379 dq run --metrics-bind 0.0.0.0
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first, so that a source change does not download the world again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY bom/pom.xml bom/
COPY core/pom.xml core/
COPY adapters-memory/pom.xml adapters-memory/
COPY adapters-redis/pom.xml adapters-redis/
COPY cron/pom.xml cron/
COPY codec-jackson/pom.xml codec-jackson/
COPY bench/pom.xml bench/
COPY app/pom.xml app/
RUN ./mvnw -B -q -pl app -am dependency:go-offline -DskipTests || true
COPY . .
RUN ./mvnw -B -q -pl app -am -DskipTests package && cp app/target/dq.jar /dq.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system dq && useradd --system --gid dq --home-dir /nonexistent --shell /usr/sbin/nologin dq
COPY --from=build /dq.jar /opt/dq/dq.jar
USER dq:dq
# /metrics and /health of dq run (bind them with --metrics-bind 0.0.0.0 inside a container).
EXPOSE 9400
# SIGTERM (docker stop) makes dq run stop within --grace and exit 0; keep docker's stop timeout above it.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/dq/dq.jar"]
CMD ["--help"]
