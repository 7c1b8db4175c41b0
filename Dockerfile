# The hub on Debian 12: the jar that `mvn -B -ntp verify` (or `package`) builds, run as a non-root user.
# Build from the repository root after the Maven build:  docker build -t cmp-hub .
# Not built on the machine this was written on (no container engine there); see docs/operations.md.
FROM debian:12-slim

ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

# The same script the build and CI run. With --runtime it installs only PostgreSQL + PostGIS and Redis, which the
# hub starts itself when HUB_DB_URL / HUB_REDIS_URL are not set (a single-container trial); deployments set both.
COPY hub-server/scripts/install-native-services.sh /opt/hub/install-native-services.sh
RUN bash /opt/hub/install-native-services.sh --runtime && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/cmp-hub --create-home --shell /usr/sbin/nologin hub \
    && install -d -o hub -g hub /var/lib/cmp-hub/keys
COPY hub-server/target/hub-server.jar /opt/hub/hub-server.jar

USER 10001:10001
WORKDIR /var/lib/cmp-hub
# The throughput collector, as the README runs the hub; the heap follows the container's memory limit.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+UseParallelGC" \
    HUB_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s \
    CMD curl -fsS "http://127.0.0.1:${HUB_PORT}/actuator/health/liveness" || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/hub/hub-server.jar \"$@\"", "hub"]
