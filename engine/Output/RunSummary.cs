using System.Text.Json;
using System.Text.Json.Serialization;

namespace SSIS.Batch.Engine.Output;

/// <summary>run.json: what one run did. Field names are snake_case in the file.</summary>
public sealed record RunSummary(
    string RunId,
    DateTime StartedUtc,
    DateTime EndedUtc,
    double ElapsedSeconds,
    string Catalog,
    string StateFolder,
    int Workers,
    RunCounts Counts,
    RunCounters Counters,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    GroupSummary Groups,
    DedupeSummary? Dedupe,
    AnalysisSummary? Analysis,
    IReadOnlyList<EmbeddingSummary> Embeddings,
    Rating.RatingSummary? Rating,
    string? RatingSkipped,
    int DeadLetters,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyDictionary<string, string> Versions,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, int> SkippedByCode)
{
    public const string FileName = "run.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public void Write(string outputFolder) =>
        AtomicFile.WriteAllText(Path.Combine(outputFolder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The folder's run.json; an IOException that says what to do when it is not one this version can read.</summary>
    public static RunSummary Read(string outputFolder)
    {
        var path = Path.Combine(outputFolder, FileName);
        try
        {
            return JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), Json) ?? throw new JsonException("it holds null");
        }
        catch (JsonException e)
        {
            throw new IOException($"{path} is not a run summary this version can read ({e.Message.TrimEnd('.')}): run the job again to rewrite it.", e);
        }
    }
}

/// <summary>How the catalog's entries ended; <see cref="Skipped"/> ones were left out by a limit (FILE_TOO_LONG) and are not errors.</summary>
/// <summary><see cref="Relocated"/>: files found moved or renamed since the last run, whose results they kept.</summary>
public sealed record RunCounts(int CatalogEntries, int Ok, int Errors, int Unavailable, int ProbedNow, int FromCache, int Skipped, int Relocated)
{
    /// <summary>Ok over the entries the run was meant to analyse: unavailable and skipped ones are not failures.</summary>
    public double SuccessRate => CatalogEntries - Unavailable - Skipped is var meant and > 0 ? (double)Ok / meant : 1;
}

/// <summary>Work the run did on the library: files opened, processes started.</summary>
public sealed record RunCounters(long AudioFilesOpened, long FfprobeProcesses, long FingerprintsComputed, long FfmpegDecoderProcesses, double PeakWorkingSetMb);

/// <summary>
/// The fingerprint stage and the matcher: what was computed, reused and compared, and what it found;
/// <see cref="MatchedByContent"/> files joined a group by identical bytes or decoded audio, before any fingerprint.
/// </summary>
public sealed record DedupeSummary(
    string Source, int Candidates, int Fingerprinted, int FromCache, int Failed, int TooShort,
    int CandidatePairs, int PairsCompared, int PairsMatched, int DuplicateGroups, int NonCanonical, int MatchedByContent);

public sealed record GroupSummary(string Mode, int Groups, int Members);

/// <summary>The analysis segment: what was analysed or reused, which decoders served it, what the speech gate found.</summary>
public sealed record AnalysisSummary(int Analysed, int FromCache, int Failed, int DecodedInProcess, int DecodedByFfmpeg, int Speech, string SpeechDetector);

/// <summary>One encoder version in a run: vector length, vectors computed now and taken from the state store, and the compute rate (tracks/s).</summary>
public sealed record EmbeddingSummary(string ModelVersion, int Dimension, int Computed, int FromStore, double? TracksPerSecond, EncoderTrainingSummary? Training);

/// <summary>
/// An encoder's training when this run trained it: tracks, epochs run, first and last epoch loss, seconds, and the loss:
/// "nt-xent" (contrastive, self-supervised) or "mse" (joint fine-tuning on ratings, the final fit's training loss).
/// </summary>
public sealed record EncoderTrainingSummary(int Tracks, int Epochs, double FirstLoss, double LastLoss, double Seconds, string Loss);
