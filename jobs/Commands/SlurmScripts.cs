using SSIS.Batch.Engine.Shards;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>The sbatch scripts of a sharded job: the array of shards, the merge, and submit.sh that chains them.</summary>
public static class SlurmScripts
{
    public const string ArrayFileName = "shards.sbatch";
    public const string MergeFileName = "merge.sbatch";
    public const string SubmitFileName = "submit.sh";

    /// <param name="ssis">the command that runs ssis on the nodes (quoted words)</param>
    /// <param name="config">the job config's absolute path (on the shared filesystem)</param>
    /// <param name="logFolder">where Slurm writes each task's output</param>
    public static IReadOnlyDictionary<string, string> Write(string ssis, string config, string jobName, int shards, int workers, long catalogEntries,
        string logFolder) => new Dictionary<string, string>
    {
        [ArrayFileName] = $$"""
            #!/bin/bash
            #SBATCH --job-name={{jobName}}-shards
            #SBATCH --array=0-{{shards - 1}}
            #SBATCH --cpus-per-task={{workers}}
            #SBATCH --mem={{ShardResources.ShardMemoryMb(workers)}}M
            #SBATCH --time={{ShardResources.ShardMinutes(catalogEntries, shards, workers)}}
            #SBATCH --output="{{Path.Combine(logFolder, "shard-%a-of-" + shards + "-%A.out")}}"
            # Written by 'ssis slurm': one task per shard of {{catalogEntries}} catalog entries. The count is written out rather than
            # taken from SLURM_ARRAY_TASK_COUNT, so that resubmitting some indices (sbatch --array=2,5 {{ArrayFileName}}) keeps it.
            set -euo pipefail
            exec {{ssis}} run {{Quote(config)}} --shard "$SLURM_ARRAY_TASK_ID/{{shards}}" --workers "${SLURM_CPUS_PER_TASK:-{{workers}}}"

            """,
        [MergeFileName] = $$"""
            #!/bin/bash
            #SBATCH --job-name={{jobName}}-merge
            #SBATCH --cpus-per-task={{workers}}
            #SBATCH --mem={{ShardResources.MergeMemoryMb(catalogEntries)}}M
            #SBATCH --time={{ShardResources.MergeMinutes(catalogEntries)}}
            #SBATCH --output="{{Path.Combine(logFolder, "merge-%j.out")}}"
            # Written by 'ssis slurm': checks every shard, imports them and runs the library-wide steps (exit 7 names unfinished shards).
            set -euo pipefail
            exec {{ssis}} merge {{Quote(config)}} --shards {{shards}} --workers "${SLURM_CPUS_PER_TASK:-{{workers}}}"

            """,
        [SubmitFileName] = $$"""
            #!/bin/sh
            # Written by 'ssis slurm': submits the shards, then the merge to start once every shard has succeeded.
            set -eu
            cd "$(dirname "$0")"
            array=$(sbatch --parsable {{ArrayFileName}})
            array=${array%%;*}
            merge=$(sbatch --parsable --dependency=afterok:"$array" {{MergeFileName}})
            merge=${merge%%;*}
            echo "shards: job $array (array 0-{{shards - 1}}); merge: job $merge (after every shard succeeds)"

            """,
    };

    /// <summary>A word for sh: single-quoted, with any single quote closed, escaped and reopened.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>A word for a command line a person copies: as it is when sh reads it so, else <see cref="Quote"/>d.</summary>
    public static string Word(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./-:@%+=,".Contains(c)) ? word : Quote(word);
}
