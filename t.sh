#!/bin/sh
# usage: t.sh TestPattern
cd /work/wt/observability && ./mvnw -B -o -pl resilience-spring-boot-starter -am test -Dtest="$1" -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.trimStackTrace=true > /tmp/obs-test.log 2>&1
grep -E "Tests run:|<<<|expected|Expect|but was|Caused by|^\s+at dev\.resilience|COMPILATION|\.java:\[" /tmp/obs-test.log | cut -c1-400 | head -${2:-40}
