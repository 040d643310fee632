using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// One run as its steps share it: what the job asked for, the state store, the tools that touch files, and what each
/// step has produced so far (every list holds compact records, never audio).
/// </summary>
public sealed class RunContext(JobOptions options, IRunProgress progress, StateStore store, string runId)
{
    public JobOptions Options { get; } = options;
    public IRunProgress Progress { get; } = progress;
    public StateStore Store { get; } = store;
    public string RunId { get; } = runId;

    public AudioProber Prober { get; } = new(new FfprobeReader(options.FfprobePath));
    public AudioDecoder Decoder { get; } = new(options.FingerprintSettings.FfmpegPath,
        TimeSpan.FromSeconds(options.AnalysisSettings.CropSettings.TimeoutSeconds));

    /// <summary>Duplicate candidates are fingerprinted from the crop the analysis decodes anyway.</summary>
    public bool CropFingerprints => Options is { FingerprintSettings: { Enabled: true, Source: FingerprintSource.Crop }, AnalysisSettings.Enabled: true };

    public IReadOnlyList<TrackRecord> Tracks { get; set; } = [];
    /// <summary>A shard run's part of the catalog (<see cref="Shards.ShardSelectStep"/>); null in a whole run.</summary>
    public Shards.ShardPlan? ShardPlan { get; set; }
    public int Relocated { get; set; }
    public IReadOnlyList<ProbedTrack> Probed { get; set; } = [];
    public int ProbeCacheHits { get; set; }
    public IReadOnlyList<CandidateGroup> Candidates { get; set; } = [];
    public IReadOnlySet<string> CandidatePaths => _candidatePaths ??= Candidates.SelectMany(g => g.Members).Select(m => m.Track.Path).ToHashSet(StringComparer.Ordinal);
    /// <summary>Compact: each analysis without its feature statistics, which <see cref="StoredAnalyses"/> reads back.</summary>
    public IReadOnlyList<AnalyzedTrack> Analyzed { get; set; } = [];

    /// <summary>The analyses' feature statistics in the state store (set by the analysis step).</summary>
    public StoredAnalyses StoredAnalyses
    {
        get => _storedAnalyses ?? throw new InvalidOperationException("The analysis step has not run: no analyses are stored.");
        set => _storedAnalyses = value;
    }

    /// <summary>The encoders' vectors in the state store, read back by the sinks.</summary>
    public StoredEmbeddings StoredEmbeddings => new(Store);
    public AnalysisSummary? AnalysisSummary { get; set; }
    public IReadOnlyList<FingerprintedTrack> Fingerprinted { get; set; } = [];
    public int FingerprintCacheHits { get; set; }
    public IReadOnlyList<DuplicateGroup> Duplicates { get; set; } = [];
    public DedupeSummary? DedupeSummary { get; set; }
    public List<Classify.ClassifierRun> Classifications { get; } = [];
    public IReadOnlyList<Segments.SegmentedFile> Segments { get; set; } = [];
    public IReadOnlyList<Segments.PreviewedFile> Previews { get; set; } = [];

    /// <summary>The crop gate's rule: speech.threshold for window shares, segments.speech_share for the segmenter's.</summary>
    public SpeechGate SpeechGate => new(Options.AnalysisSettings.SpeechSettings.Threshold, Options.SegmentSettings.Parameters.SpeechShare);

    /// <summary>Each file's speech verdict and scene: whole-file segments first, else the crop (read after the segments step).</summary>
    public FileSpeechVerdicts SpeechVerdicts => new(SpeechGate, Segments.Select(s => s.Result));
    public List<(EncoderRun Run, EncoderTrainingSummary? Training)> EncoderRuns { get; } = [];
    public RatingModel? JointModel { get; set; }
    public IReadOnlyList<OutOfFoldPrediction> JointOutOfFold { get; set; } = [];
    public RatingSummary? Rating { get; set; }
    public string? RatingSkipped { get; set; }
    public List<string> Outputs { get; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>Audio files this run opened beyond the prober's and the fingerprint stage's own count.</summary>
    public long OtherFilesOpened { get; set; }

    private IReadOnlySet<string>? _candidatePaths;
    private StoredAnalyses? _storedAnalyses;
    private List<TrackRow>? _rows;
    private int? _fingerprintsComputed;

    /// <summary>One row per catalog entry with the first error that stopped it; final once duplicates are resolved.</summary>
    public List<TrackRow> Rows => _rows ??= TrackRows();

    /// <summary>Fingerprints this run computed (not taken from the cache), for run.json.</summary>
    public int FingerprintsComputed => _fingerprintsComputed ?? Fingerprinted.Count(f => f is { FromCache: false, Fingerprint: not null });

    /// <summary>
    /// Lets go of what only the library's tables needed: each track's analysis record, its fingerprint's raw items and its
    /// duplicate membership (about 0.6 KB a track). The steps after the sinks (the rating model, the report) read the
    /// written files. The track rows stay: run.json counts them.
    /// </summary>
    public void ReleaseWrittenRecords()
    {
        _ = Rows;
        _fingerprintsComputed = FingerprintsComputed;
        Analyzed = [];
        Fingerprinted = [];
        Duplicates = [];
    }

    /// <summary>A warning for run.json and the console.</summary>
    public void Warn(string warning)
    {
        Warnings.Add(warning);
        Progress.Message($"warning: {warning}");
    }

    /// <summary>
    /// Runs a per-file stage over <paramref name="items"/> on the job's workers, each file under the retry policy, its
    /// results handed in batches to <paramref name="persistBatch"/> (the state store's single writer); the returned list
    /// holds what <paramref name="keep"/> keeps of each persisted result (all of it by default).
    /// </summary>
    public Task<IReadOnlyList<TOut>> ForEachFileAsync<TIn, TOut>(string stage, IReadOnlyList<TIn> items, Func<TIn, TOut> work,
        Action<TOut[]> persistBatch, CancellationToken cancellationToken, Func<TOut, TOut>? keep = null) where TOut : IFileOutcome<TOut> =>
        BoundedStage.RunAsync(stage, items, item =>
        {
            var (result, attempts) = Options.RetrySettings.Run(() => work(item), r => r.Error);
            return attempts == 1 ? result : result.WithAttempts(attempts);
        }, persistBatch, Options.Workers, Progress, cancellationToken, keep);

    private List<TrackRow> TrackRows()
    {
        var analyses = Analyzed.ToDictionary(a => a.Track.Track.Path);
        // Crop fingerprints come from the analysis, whose errors are the analysis's.
        var fingerprintFailures = (CropFingerprints ? [] : Fingerprinted).Where(f => f.Error is not null).ToDictionary(f => f.Track.Track.Path, f => f.Error!);
        var membership = Duplicates.SelectMany(g => g.Members.Select(m => (m.Track.Track.Path, new TrackDuplicate(g.GroupId, m.IsCanonical, g.MergedRating))))
            .ToDictionary(x => x.Path, x => x.Item2);
        var verdicts = SpeechVerdicts;
        return Probed.Select(t =>
        {
            var path = t.Track.Path;
            var analysis = analyses.GetValueOrDefault(path);
            var (error, stage) = analysis?.Error is { } a ? (a, AnalysisStage.Name)
                : fingerprintFailures.TryGetValue(path, out var f) ? (f, FingerprintStage.Name)
                : ((FileError?)null, (string?)null);
            return new TrackRow(t, error, stage, membership.GetValueOrDefault(path),
                verdicts.Of(path, analysis?.Analysis)?.IsSpeech);
        }).ToList();
    }
}
