using System.Text.Json;
using SSIS.Batch.Engine.Shards;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>A sharded job's Kubernetes objects: an Indexed Job of the shards, a merge Job, and submit.sh that applies them in order.</summary>
public static class KubernetesManifests
{
    public const string ShardsFileName = "shards.yaml";
    public const string MergeFileName = "merge.yaml";
    public const string SubmitFileName = "submit.sh";

    /// <param name="mountPath">where the shared volume is mounted in every pod: the config, catalog, output and state lie under it, at the same paths</param>
    public static IReadOnlyDictionary<string, string> Write(string jobName, string image, string config, int shards, int parallelism, int workers,
        long catalogEntries, string claim, string mountPath) => new Dictionary<string, string>
    {
        [ShardsFileName] = $"""
            # Written by 'ssis kubernetes': one pod per shard of {catalogEntries} catalog entries. Kubernetes sets JOB_COMPLETION_INDEX;
            # {ShardSpec.KubernetesCountVariable} must equal completions. A failed index is retried alone (backoffLimitPerIndex).
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {jobName}-shards
              labels:
                app.kubernetes.io/name: ssis
            spec:
              completionMode: Indexed
              completions: {shards}
              parallelism: {parallelism}
              backoffLimitPerIndex: 2
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: ssis
                spec:
                  restartPolicy: Never
            {Container(image, ["run", config, "--workers", workers.ToString()], workers, ShardResources.ShardMemoryMb(workers), mountPath,
                [(ShardSpec.KubernetesCountVariable, shards.ToString())])}
            {Volume(claim)}

            """,
        [MergeFileName] = $"""
            # Written by 'ssis kubernetes': checks every shard, imports them and runs the library-wide steps (exit 7 names unfinished shards).
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {jobName}-merge
              labels:
                app.kubernetes.io/name: ssis
            spec:
              completions: 1
              parallelism: 1
              backoffLimit: 0
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: ssis
                spec:
                  restartPolicy: Never
            {Container(image, ["merge", config, "--shards", shards.ToString(), "--workers", workers.ToString()], workers,
                ShardResources.MergeMemoryMb(catalogEntries), mountPath, [])}
            {Volume(claim)}

            """,
        [SubmitFileName] = $"""
            #!/bin/sh
            # Written by 'ssis kubernetes': runs the shards, waits for all of them, then the merge. A rerun of this script
            # needs the finished Jobs deleted first: kubectl delete job {jobName}-shards {jobName}-merge
            set -eu
            cd "$(dirname "$0")"
            kubectl apply -f {ShardsFileName}
            kubectl wait --for=condition=complete --timeout={ShardResources.ShardMinutes(catalogEntries, shards, workers) * (int)Math.Ceiling(shards / (double)parallelism)}m job/{jobName}-shards
            kubectl apply -f {MergeFileName}
            kubectl wait --for=condition=complete --timeout={ShardResources.MergeMinutes(catalogEntries)}m job/{jobName}-merge

            """,
    };

    private static string Container(string image, string[] arguments, int workers, int memoryMb, string mountPath, (string Name, string Value)[] env)
    {
        var lines = new List<string>
        {
            "      containers:",
            "        - name: ssis",
            $"          image: {Q(image)}",
            $"          command: [{Q("ssis")}]",
            $"          args: [{string.Join(", ", arguments.Select(Q))}]",
        };
        if (env.Length > 0)
        {
            lines.Add("          env:");
            foreach (var (name, value) in env) lines.AddRange([$"            - name: {name}", $"              value: {Q(value)}"]);
        }
        lines.AddRange([
            "          resources:",
            $"            requests: {{cpu: {Q(workers.ToString())}, memory: {Q($"{memoryMb}Mi")}}}",
            $"            limits: {{memory: {Q($"{memoryMb}Mi")}}}",
            "          volumeMounts:",
            "            - name: shared",
            $"              mountPath: {Q(mountPath)}",
        ]);
        return string.Join("\n", lines);
    }

    private static string Volume(string claim) => string.Join("\n",
        "      volumes:",
        "        - name: shared",
        "          persistentVolumeClaim:",
        $"            claimName: {Q(claim)}");

    /// <summary>A YAML double-quoted scalar (JSON's string syntax is valid YAML).</summary>
    private static string Q(string value) => JsonSerializer.Serialize(value);
}
