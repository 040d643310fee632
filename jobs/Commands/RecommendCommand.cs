using System.Text.Json;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>What the command line sets of the recommend settings; the rest comes from the run's saved ones.</summary>
public sealed record RecommendOverrides(int? TopN = null, double? MinRating = null, int? PerArtistCap = null, double? Diversity = null, string? XspfPath = null)
{
    /// <summary>The saved settings with the options given; <c>--per-artist 0</c> removes the cap.</summary>
    public RecommendOptions Apply(RecommendOptions saved) => new(
        TopN ?? saved.TopN, MinRating ?? saved.MinRating, PerArtistCap is 0 ? null : PerArtistCap ?? saved.PerArtistCap, Diversity ?? saved.Diversity,
        XspfPath ?? saved.XspfPath);

    /// <summary>The first option outside the range its recommend.* key allows (or a playlist path that is not one), as a message, or null.</summary>
    public string? Problem() =>
        TopN is < 1 or > RecommendOptions.MaxCount ? $"option --top-n: expected a whole number from 1 to {RecommendOptions.MaxCount}, got {TopN}"
        : MinRating is { } r && !(r is >= 0 and <= 1) ? $"option --min-rating: expected a value from 0 to 1, got {r}"
        : PerArtistCap is < 0 or > RecommendOptions.MaxCount ? $"option --per-artist: expected a whole number from 0 (no cap) to {RecommendOptions.MaxCount}, got {PerArtistCap}"
        : Diversity is { } d && !(d is >= 0 and <= RecommendOptions.MaxDiversity) ? $"option --diversity: expected a value from 0 to {RecommendOptions.MaxDiversity}, got {d}"
        : PlaylistPath.OptionProblem("--xspf", XspfPath, PlaylistPath.Xspf);
}

/// <summary>
/// <c>ssis recommend OUT [--top-n N] ... [--force]</c>: new recommendations from the run's saved rating model, without
/// retraining. Unset options take the run's own recommend settings (saved in run.json), and run.json is updated to
/// describe the playlist now written. A playlist listing tracks is not replaced by an empty one without --force.
/// </summary>
public static class RecommendCommand
{
    public static int Run(string outputFolder, RecommendOverrides overrides, bool force, TextWriter output, TextWriter errors, bool json = false)
    {
        if (overrides.Problem() is { } problem)
        {
            errors.WriteLine($"error: {problem}.");
            return (int)ExitCode.BadConfig;
        }
        if (RunOutputs.Lack(outputFolder, RunSummary.FileName, errors)) return (int)ExitCode.BadConfig;
        try
        {
            // The run's lock first, then its run.json: a run writing this output folder and a recommend rewriting its tables
            // never overlap, and the run.json read is the one the tables belong to.
            using var runLock = LockOf(RunSummary.Read(outputFolder).StateFolder);
            var run = RunSummary.Read(outputFolder);
            if (run.Rating is null)
            {
                errors.WriteLine($"error: the run in {outputFolder} trained no rating model: " +
                                 (run.RatingSkipped ?? "the job turns it off (model.enabled: false) or analysed no track").TrimEnd('.') + ".");
                return (int)ExitCode.Failed;
            }
            var saved = run.Rating.Settings
                        ?? throw new InvalidDataException($"{RunSummary.FileName} in {outputFolder} holds no rating model's settings: run the job again (ssis run CONFIG).");
            var settings = overrides.Apply(saved);
            // A run made before playlist paths were checked may have saved one that is not a playlist's: refused before anything is written.
            if (settings.XspfPath is { } playlist && PlaylistPath.Problem(playlist, PlaylistPath.Xspf) is { } badPath)
            {
                errors.WriteLine($"error: the run's recommend.xspf: {badPath}; give --xspf FILE.xspf.");
                return (int)ExitCode.BadConfig;
            }
            var summary = RatingStep.Recommend(outputFolder, settings, replaceWithEmpty: force);
            var oldPlaylist = run.Rating.Xspf is { } old ? Path.GetRelativePath(outputFolder, old) : null;
            var newPlaylist = Path.GetRelativePath(outputFolder, summary.Xspf!);
            // predictions.parquet and recommendations.parquet now describe the new playlist: run.json and the report say so too.
            var updated = run with
            {
                Rating = summary,
                Outputs = run.Outputs.Select(o => o == oldPlaylist ? newPlaylist : o).Distinct().ToList(),
                Warnings = [.. run.Warnings.Where(w => w != run.Rating.EmptyPlaylistWarning), .. summary.EmptyPlaylistWarning is { } empty ? [empty] : Array.Empty<string>()],
            };
            updated.Write(outputFolder);
            // A playlist moved elsewhere (--xspf) leaves none in the output folder that the tables no longer describe.
            if (run.Rating.Xspf is { } previous && !string.Equals(previous, summary.Xspf, StringComparison.OrdinalIgnoreCase) && oldPlaylist is not null && !oldPlaylist.StartsWith("..", StringComparison.Ordinal)
                && !Path.IsPathRooted(oldPlaylist) && run.Outputs.Contains(oldPlaylist) && File.Exists(previous))
                File.Delete(previous);
            Engine.Report.HtmlReport.WriteOrWarn(outputFolder, errors.WriteLine);
            if (json)
            {
                // The warnings are messages (standard error); standard output is the document alone.
                if (summary.Warning is { } untrusted) errors.WriteLine($"WARNING: {untrusted}");
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    Rating = summary,
                    Recommendations = summary.Recommendations.Select(r => new
                    {
                        r.Rank, r.Prediction.PredictedRating, PLike = r.Prediction.LikeProbability, r.Reason, r.Prediction.Track.TrackId, r.Prediction.Track.Path,
                        r.Prediction.Track.Title, r.Prediction.Track.Artist, r.Prediction.Track.Album,
                    }),
                }, RunSummary.Json));
                return 0;
            }
            output.WriteLine($"{summary.Recommended} recommendations from {summary.Predicted} predicted tracks ({summary.Regressor} on {summary.EmbeddingVersion}, " +
                             $"trained on {summary.Rated} rated tracks; top_n {summary.Settings!.TopN}, min_rating {summary.Settings.MinRating:0.00}, " +
                             $"per_artist {summary.Settings.PerArtistCap?.ToString() ?? "none"}, diversity {summary.Settings.Diversity:0.00}) → {summary.Xspf}");
            if (summary.Warning is { } warning) output.WriteLine($"WARNING: {warning}");
            if (summary.Recommended == 0) output.WriteLine($"WARNING: the playlist {summary.Xspf} is now empty" + (force ? " (--force)" : ""));
            foreach (var r in summary.Recommendations)
            {
                var track = r.Prediction.Track;
                var artist = string.IsNullOrWhiteSpace(track.Artist) ? "" : $" — {track.Artist}";
                output.WriteLine(ConsoleText.OneLine($"{r.Rank,4}. {r.Prediction.PredictedRating:0.00}  {track.Title ?? track.Path}{artist}  ({r.Reason})"));
            }
            return 0;
        }
        catch (RunLockedException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return (int)ExitCode.StateFolderInUse;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or InvalidOperationException)
        {
            errors.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The state folder's run lock; none when the folder is gone or cannot be written (a read-only copy of a run's
    /// outputs), since no run can be writing there either.
    /// </summary>
    private static RunLock? LockOf(string stateFolder)
    {
        if (!Directory.Exists(stateFolder)) return null;
        try
        {
            return RunLock.Acquire(stateFolder, string.Join(' ', Environment.GetCommandLineArgs()));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }
}
