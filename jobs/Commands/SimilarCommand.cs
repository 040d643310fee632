using System.Globalization;
using System.Text.Json;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis similar OUT TRACK [--top N] [--xspf FILE] [--json]</c>: the tracks nearest to one track by cosine over the
/// run's default embeddings (the rating model's encoder, else dsp) or those of the encoder named, optionally as an XSPF
/// playlist that starts with it.
/// </summary>
public static class SimilarCommand
{
    public static int Run(string outputFolder, string track, int top, string? encoder, string? xspf, bool json, TextWriter output, TextWriter errors)
    {
        if (top < 1)
        {
            errors.WriteLine($"error: --top must be at least 1 (got {top}).");
            return (int)ExitCode.BadConfig;
        }
        if (PlaylistPath.OptionProblem("--xspf", xspf, PlaylistPath.Xspf) is { } badPath)
        {
            errors.WriteLine($"error: {badPath}.");
            return (int)ExitCode.BadConfig;
        }
        if (RunOutputs.Lack(outputFolder, RunSummary.FileName, errors)) return (int)ExitCode.BadConfig;
        var run = RunSummary.Read(outputFolder);
        if ((encoder is null ? DefaultEmbedding.Version(run) : RatingDataset.EmbeddingVersion(outputFolder, encoder)) is not { } version)
        {
            errors.WriteLine(encoder is null
                ? $"error: the run in {outputFolder} computed no embeddings (analysis or embed.encoders off): nothing to compare tracks by."
                : $"error: --encoder {encoder}: the run in {outputFolder} has no {encoder} embeddings ({string.Join(", ", run.Embeddings.Select(e => e.ModelVersion))}).");
            return (int)(encoder is null ? ExitCode.Failed : ExitCode.BadConfig);
        }
        var library = RatingDataset.Load(outputFolder, version);
        CandidateTrack seed;
        try
        {
            seed = SimilarTracks.Seed(library, track, version);
        }
        catch (SeedTrackException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return (int)ExitCode.BadConfig;
        }
        var nearest = SimilarTracks.Nearest(library, seed, top);
        var playlist = xspf is null ? null : Path.GetFullPath(xspf);
        if (playlist is not null)
            XspfPlaylist.Write(playlist, [new XspfEntry(seed, "Seed track"), .. nearest.Select(n =>
                    new XspfEntry(n.Track, string.Create(CultureInfo.InvariantCulture, $"Cosine similarity {n.Cosine:0.000} to {SimilarTracks.Name(seed)}")))],
                $"SSIS: tracks like {SimilarTracks.Name(seed)} ({version})");

        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                Seed = Describe(seed), EmbeddingVersion = version, TracksCompared = library.Count - 1,
                Neighbours = nearest.Select(n => new { n.Rank, n.Cosine, Track = Describe(n.Track) }), Xspf = playlist,
            }, RunSummary.Json));
            return 0;
        }
        output.WriteLine(ConsoleText.OneLine($"Tracks like {SimilarTracks.Name(seed)} — {seed.Artist ?? "unknown artist"} ({seed.Path}),"));
        output.WriteLine($"by cosine similarity of {version} embeddings, over {library.Count - 1} other tracks:");
        foreach (var n in nearest)
            output.WriteLine(ConsoleText.OneLine($"{n.Rank,4}. {n.Cosine:0.000}  {SimilarTracks.Name(n.Track)} — {n.Track.Artist ?? "unknown artist"}" +
                                                 (n.Track.Album is { Length: > 0 } album ? $" · {album}" : "")));
        if (playlist is not null) output.WriteLine($"playlist: {playlist}");
        return 0;
    }

    private static object Describe(CandidateTrack t) => new { t.TrackId, t.Path, t.Title, t.Artist, t.Album, DurationS = t.DurationSeconds };
}
