#!/bin/sh
# The command a gateway's process executor runs per install (div gateway ... -- examples/deploy.sh).
# The store's values arrive only as environment variables; nothing here is built from them by a shell.
echo "deploying app $DIV_APP of project $DIV_PROJECT at ref $DIV_REF to cluster $DIV_CLUSTER (attempt $DIV_ATTEMPT)"
case "$DIV_REF" in
  broken*) echo "error: ref $DIV_REF does not build" >&2; exit 1 ;;
esac
echo "helmfile --environment $DIV_NAMESPACE --selector name=$DIV_APP --set ref=$DIV_REF apply (simulated)"
echo "deployed"
