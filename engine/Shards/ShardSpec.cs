using System.Globalization;

namespace SSIS.Batch.Engine.Shards;

/// <summary>A shard's index or count is not usable; the message names where it came from (the flag or the variable).</summary>
public sealed class ShardSpecException(string message) : Exception(message);

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: the part of the catalog one scheduler task works on
/// (<c>ssis run JOB --shard I/N</c>, or a Slurm array task, or a Kubernetes Indexed Job pod).
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>
    /// The most shards a job may be split into: Slurm's default <c>MaxArraySize</c> is 1001 (indices 0–1000), and each shard
    /// stats every catalog entry to find its own, so more shards add that cost without shortening the work.
    /// </summary>
    public const int MaxCount = 1000;

    public const string SlurmIndexVariable = "SLURM_ARRAY_TASK_ID";
    public const string SlurmCountVariable = "SLURM_ARRAY_TASK_COUNT";
    public const string KubernetesIndexVariable = "JOB_COMPLETION_INDEX";
    /// <summary>Kubernetes puts no count in a pod's environment: the generated manifest sets it from the Job's completions.</summary>
    public const string KubernetesCountVariable = "SSIS_SHARD_COUNT";

    /// <summary>The shard's folder name under <c>STATE/shards/</c>: <c>I-of-N</c>.</summary>
    public string FolderName => $"{Index}-of-{Count}";

    /// <summary>The shard's own state folder (state store, run lock, manifest) inside the job's state folder.</summary>
    public string StateFolder(string jobStateFolder) => Path.Combine(ShardsFolder(jobStateFolder), FolderName);

    public static string ShardsFolder(string jobStateFolder) => Path.Combine(jobStateFolder, "shards");

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>
    /// The shard this process runs: the <c>--shard I/N</c> flag when given (it beats the environment), else Slurm's array
    /// variables, else Kubernetes' completion index with <see cref="KubernetesCountVariable"/>; null when none is set.
    /// </summary>
    public static ShardSpec? Resolve(string? flag, Func<string, string?> environment)
    {
        if (flag is not null) return Parse(flag);
        if (environment(SlurmIndexVariable) is { } slurmIndex)
            return Of(slurmIndex, environment(SlurmCountVariable)
                ?? throw new ShardSpecException($"{SlurmIndexVariable} is set but {SlurmCountVariable} is not: submit the script 'ssis slurm' writes (an --array job)."),
                SlurmIndexVariable, SlurmCountVariable);
        if (environment(KubernetesIndexVariable) is { } podIndex)
            return Of(podIndex, environment(KubernetesCountVariable)
                ?? throw new ShardSpecException($"{KubernetesIndexVariable} is set but {KubernetesCountVariable} is not: it must equal the Job's completions (the manifest 'ssis kubernetes' writes sets it)."),
                KubernetesIndexVariable, KubernetesCountVariable);
        return null;
    }

    /// <summary>The variables <see cref="Resolve"/> reads a shard from without a flag, as "NAME=value and NAME=value".</summary>
    public static string SourceVariables(Func<string, string?> environment) =>
        environment(SlurmIndexVariable) is { } slurm
            ? $"{SlurmIndexVariable}={slurm} and {SlurmCountVariable}={environment(SlurmCountVariable)}"
            : $"{KubernetesIndexVariable}={environment(KubernetesIndexVariable)} and {KubernetesCountVariable}={environment(KubernetesCountVariable)}";

    /// <summary>Parses <c>I/N</c> (the <c>--shard</c> flag).</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2) throw new ShardSpecException($"option --shard: expected I/N (shard I of N, 0 ≤ I < N ≤ {MaxCount}), got '{text}'.");
        return Of(parts[0], parts[1], "option --shard (I)", "option --shard (N)");
    }

    private static ShardSpec Of(string index, string count, string indexSource, string countSource)
    {
        var n = Whole(count, countSource);
        if (n is < 1 or > MaxCount) throw new ShardSpecException($"{countSource}: expected a shard count from 1 to {MaxCount}, got {n}.");
        var i = Whole(index, indexSource);
        if (i < 0 || i >= n)
            throw new ShardSpecException($"{indexSource}: expected a shard index from 0 to {n - 1} (of {n} shards), got {i}." +
                                         (indexSource == SlurmIndexVariable
                                             ? " An array whose task ids do not run 0 to N−1 (one from 1, or with a step or a gap: --array=1-10, --array=0-9:2) shards wrongly: submit the script 'ssis slurm' writes, or pass --shard I/N."
                                             : ""));
        return new ShardSpec(i, n);
    }

    private static int Whole(string text, string source) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ShardSpecException($"{source}: expected a whole number, got '{text}'.");
}
