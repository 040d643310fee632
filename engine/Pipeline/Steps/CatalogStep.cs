using SSIS.Batch.Engine.Catalog;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>The library's entries, read once from the Clementine database or the folder.</summary>
public sealed class CatalogStep : IRunStep
{
    /// <summary>Folders (or files) a warning names at most; it counts the rest.</summary>
    private const int MaxFoldersNamed = 5;

    public string Name => "catalog";
    public string Description => "the library's entries, read once from the Clementine database or the folder";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => true;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var catalog = run.Options.Catalog;
        run.Progress.Message($"Reading catalog {catalog.Description}");
        var entries = catalog.ReadTracks(cancellationToken).ToList();
        // Every later step knows a file it reads by its path. CUE-sheet albums give one Clementine row per track of one
        // file; a row Clementine marks unavailable is never read, so it stays beside an available row of its path.
        var repeated = entries.Where(t => !t.Unavailable).GroupBy(t => t.Path, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        var leftOut = repeated.SelectMany(g => g.Skip(1)).ToHashSet(ReferenceEqualityComparer.Instance);
        run.Tracks = entries.Where(t => !leftOut.Contains(t)).ToList();
        if (leftOut.Count > 0)
            run.Warn($"{leftOut.Count} catalog entries name a file an earlier entry names (as CUE-sheet tracks share their album's file): " +
                     "each file is analysed once, with its first entry's metadata and rating; the others are left out (" +
                     string.Join("; ", repeated.Take(MaxFoldersNamed).Select(g => $"{g.Key}: {g.Count()} entries")) + ")");
        if (catalog is FolderCatalog { SkippedFolders: { Count: > 0 } skipped })
            run.Warn($"{skipped.Count} folder(s) could not be listed, so their files are not in this run: " +
                     string.Join("; ", skipped.Take(MaxFoldersNamed).Select(f => $"{f.Path}: {f.Reason}")) +
                     (skipped.Count > MaxFoldersNamed ? $"; and {skipped.Count - MaxFoldersNamed} more" : ""));
        return Task.CompletedTask;
    }
}
