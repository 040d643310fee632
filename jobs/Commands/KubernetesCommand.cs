using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Config;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis kubernetes CONFIG --shards N --image IMG</c>: writes the Indexed Job of the shards and the merge Job (it applies nothing).</summary>
public static class KubernetesCommand
{
    public const string DefaultClaim = "ssis-shared";

    public static int Run(string configPath, int shards, string image, string? outFolder, string claim, string? mountPath, int? parallelism, int? workers,
        TextWriter output, TextWriter errors)
    {
        if (ScheduledJob.Load(configPath, shards, workers, errors) is not var (options, entries)) return (int)ExitCode.BadConfig;
        if (parallelism is < 1)
        {
            errors.WriteLine($"error: option --parallelism: expected a whole number of at least 1, got {parallelism}.");
            return (int)ExitCode.BadConfig;
        }
        var mount = mountPath ?? SharedRoot(options, configPath);
        // A volume over / would hide the image's own files, ssis among them.
        if (Path.TrimEndingDirectorySeparator(Path.GetFullPath(mount)) is "/" or "")
        {
            errors.WriteLine(mountPath is null
                ? "error: the config, catalog, output and state share no folder below /, and the volume cannot be mounted at / (it would hide the image): " +
                  "put them under one folder (e.g. /data), or give --mount FOLDER."
                : "error: option --mount: the volume cannot be mounted at / (it would hide the image): give the folder that holds the config, catalog, output and state.");
            return (int)ExitCode.BadConfig;
        }
        // Pods see only the volume: a config, catalog, output or state outside it would be missing (or, for the output and
        // state, written to the pod's own disk and lost with it).
        if (mountPath is not null && JobPaths(options, configPath).Where(p => !IsWithin(p.Path, mount)).ToList() is [_, ..] outside)
        {
            errors.WriteLine($"error: option --mount: {string.Join(", ", outside.Select(p => $"the {p.Name} {p.Path}"))} " +
                             $"{(outside.Count == 1 ? "is" : "are")} not under {Path.GetFullPath(mount)}: pods see only the mounted volume; give a folder that holds them all.");
            return (int)ExitCode.BadConfig;
        }
        var folder = Path.GetFullPath(outFolder ?? Path.Combine(options.StateFolder, "kubernetes"));
        Directory.CreateDirectory(folder);
        var files = KubernetesManifests.Write(ScheduledJob.Name(configPath), image, Path.GetFullPath(configPath), shards, Math.Min(parallelism ?? shards, shards),
            options.Workers, entries, claim, mount);
        foreach (var (name, text) in files) AtomicFile.WriteAllText(Path.Combine(folder, name), text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(folder, KubernetesManifests.SubmitFileName), (UnixFileMode)0b111_101_101);
        output.WriteLine($"Wrote {string.Join(", ", files.Keys.Select(n => Path.Combine(folder, n)))}");
        output.WriteLine($"  the claim '{claim}' is mounted at {mount} in every pod: the config, catalog, output and state must be there at the same paths");
        output.WriteLine($"  submit: {Path.Combine(folder, KubernetesManifests.SubmitFileName)}");
        return (int)ExitCode.Ok;
    }

    /// <summary>What the pods must find at the same paths: the config's folder, the catalog, the output and the state.</summary>
    private static IReadOnlyList<(string Name, string Path)> JobPaths(JobOptions options, string configPath)
    {
        var location = options.Catalog.Description.Split(':', 2) is [_, var path] ? path : options.Catalog.Description;
        return [("config", Path.GetFullPath(configPath)), ("catalog", Path.GetFullPath(location)), ("output", options.OutputFolder), ("state", options.StateFolder)];
    }

    private static bool IsWithin(string path, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return full == root || full.StartsWith(root + '/', StringComparison.Ordinal);
    }

    /// <summary>The deepest folder holding the config, the catalog, the output and the state: what the shared volume must hold.</summary>
    private static string SharedRoot(JobOptions options, string configPath)
    {
        var paths = JobPaths(options, configPath).Select((p, i) => i == 0 ? Path.GetDirectoryName(p.Path)! : p.Path)
            .Select(p => Path.TrimEndingDirectorySeparator(p).Split('/')).ToList();
        var common = paths[0].TakeWhile((part, i) => paths.All(p => p.Length > i && p[i] == part)).ToList();
        return common.Count <= 1 ? "/" : string.Join('/', common);
    }
}
