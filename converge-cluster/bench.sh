#!/usr/bin/env bash
# The cluster's load and failure benchmark (ClusterLoadBench): a separate command, not part of the
# build. Builds the cluster module's test classes, then runs the benchmark with them.
#
#   converge-cluster/bench.sh                 load: 3 nodes + broker, then one node without Kafka
#   converge-cluster/bench.sh --failure       a node SIGKILLed and restarted every 10 s for 2 min
#   converge-cluster/bench.sh --clients 60 --documents 20 --seconds 20     scaled down
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -pl converge-cluster -am test-compile -DskipTests
mvn -B -q -pl converge-cluster dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.cp
# The project's own modules from this checkout's classes, not from the local repository (where an
# older build may have left them): the dependency plugin resolves them there.
ours='s#[^:]*/dev/converge/(converge-[a-z]+)/[^:]*[.]jar#\1/target/classes#g'
cp="converge-cluster/target/test-classes:converge-cluster/target/classes:$(sed -E "$ours" converge-cluster/target/bench.cp)"
exec java -Xmx3g -XX:+UseG1GC -cp "$cp" dev.converge.cluster.ClusterLoadBench "$@"
