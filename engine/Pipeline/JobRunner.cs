using System.Diagnostics;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.Speech;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// Runs one job: catalog → probe → (barrier: group by metadata) → analysis (each file's centre crop decoded once:
/// features, QC, speech gate, and the crop fingerprint of duplicate candidates) → fingerprint (acoustid source only) →
/// (barrier: resolve duplicates) → Parquet outputs and run.json.
/// </summary>
public sealed class JobRunner(JobOptions options, IRunProgress progress)
{
    private readonly Dictionary<string, double> _stageSeconds = new();
    private readonly Stopwatch _clock = new();
    private readonly List<string> _warnings = [];

    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var runId = $"{started:yyyyMMddTHHmmssfffZ}-{Environment.ProcessId}";
        _clock.Restart();

        WritableFolder.Ensure(options.OutputFolder, "output");
        WritableFolder.Ensure(options.StateFolder, "state");
        // Held to the end of the run; only its holder may clear temp files, so a second run never deletes a live run's.
        using var runLock = RunLock.Acquire(options.StateFolder, string.Join(' ', Environment.GetCommandLineArgs()));
        if (runLock.TakenOverFrom is { } dead)
            progress.Message($"Took over the state folder from a run that ended without releasing it ({dead})");
        if (AtomicFile.RemoveStale(options.OutputFolder) is > 0 and var stale)
            progress.Message($"Removed {stale} half-written file(s) an interrupted run left in {options.OutputFolder}");
        progress.Message($"Reading catalog {options.Catalog.Description}");
        var tracks = options.Catalog.ReadTracks(cancellationToken).ToList();
        if (options.Catalog is FolderCatalog { SkippedFolders: > 0 } folders)
            progress.Message($"{folders.SkippedFolders} folder(s) could not be listed (permission or I/O error): their files are not in this run");
        Lap("catalog");

        using var store = new StateStore(options.StateFolder);
        var prober = new AudioProber(new FfprobeReader(options.FfprobePath));
        var probeStage = new ProbeStage(prober, store.LoadProbeCache(), options.RetryFailed);
        var probed = (await BoundedStage.RunAsync(ProbeStage.Name, tracks,
                t => Retried(() => probeStage.Probe(t), r => r.Error, (r, n) => r with { Attempts = n }),
                batch => store.SaveProbes(runId, batch),
                options.Workers, progress, cancellationToken))
            .OrderBy(t => t.Track.TrackId).ThenBy(t => t.Track.Path, StringComparer.Ordinal).ToList();
        Lap(ProbeStage.Name);

        var candidates = CandidateGrouper.Group(probed, options.GroupingMode, options.DurationToleranceSeconds);
        Lap("group");

        var fingerprintOptions = options.FingerprintSettings;
        var analysisOptions = options.AnalysisSettings;
        var decoder = new AudioDecoder(fingerprintOptions.FfmpegPath, TimeSpan.FromSeconds(analysisOptions.CropSettings.TimeoutSeconds));
        var cropFingerprints = fingerprintOptions is { Enabled: true, Source: FingerprintSource.Crop } && analysisOptions.Enabled;
        var candidatePaths = candidates.SelectMany(g => g.Members).Select(m => m.Track.Path).ToHashSet(StringComparer.Ordinal);

        var (analyzed, analysisSummary, analysisFilesOpened) = analysisOptions.Enabled
            ? await AnalyseAsync(store, runId, decoder, probed, cropFingerprints ? candidatePaths : [], cancellationToken)
            : ([], null, 0);

        IReadOnlyList<FingerprintedTrack> fingerprinted = [];
        IReadOnlyList<DuplicateGroup> duplicates = [];
        DedupeSummary? dedupeSummary = null;
        var contentFilesRead = 0;
        if (fingerprintOptions.Enabled)
        {
            var members = candidates.SelectMany(g => g.Members).ToList();
            int fromCache;
            if (cropFingerprints)
            {
                fingerprinted = analyzed.Where(a => candidatePaths.Contains(a.Track.Track.Path))
                    .Select(a => new FingerprintedTrack(a.Track, a.CropFingerprint, a.Error, a.FromCache, a.StartedUtc, a.ElapsedMs,
                        a is { Error: null, CropFingerprint: null } ? FingerprintStage.TooShort : null))
                    .ToList();
                fromCache = fingerprinted.Count(f => f.FromCache);
            }
            else
            {
                var stage = new FingerprintStage(decoder, fingerprintOptions.Source, analysisOptions.CropSettings,
                    store.LoadFingerprintCache(fingerprintOptions.Source));
                fingerprinted = await BoundedStage.RunAsync(FingerprintStage.Name, members,
                    t => Retried(() => stage.Fingerprint(t), r => r.Error, (r, n) => r with { Attempts = n }),
                    batch => store.SaveFingerprints(runId, fingerprintOptions.Source, batch), options.Workers, progress, cancellationToken);
                fromCache = (int)stage.CacheHits;
                Lap(FingerprintStage.Name);
            }

            var byPath = fingerprinted.Where(f => f.Fingerprint is not null).ToDictionary(f => f.Track.Track.Path, f => f.Fingerprint!);
            (var contentKeys, contentFilesRead) = ContentKeysOf(candidates, analyzed, options.StateFolder);
            (duplicates, var counts) = DuplicateFinder.Find(candidates, byPath, contentKeys, fingerprintOptions.MatchingSettings, options.Workers);
            Lap("resolve");
            dedupeSummary = new DedupeSummary(fingerprintOptions.Source.ToString().ToLowerInvariant(), members.Count,
                fingerprinted.Count(f => f.Fingerprint is not null), fromCache, fingerprinted.Count(f => f.Error is { } e && !e.Code.IsSkip()),
                fingerprinted.Count(f => f.SkippedBecause is not null), counts.CandidatePairs, counts.PairsCompared,
                counts.PairsMatched, counts.DuplicateGroups, counts.NonCanonical, counts.MatchedByContent);
        }

        var rows = TrackRows(probed, analyzed, cropFingerprints ? [] : fingerprinted, duplicates, analysisOptions.SpeechSettings.Threshold);
        var embeddings = new List<TrackEmbedding>();
        var encoderRuns = new List<(EncoderRun Run, EncoderTrainingSummary? Training)>();
        RatingModel? jointModel = null;
        string? ratingSkipped = null;
        if (analysisOptions.Enabled)
        {
            var cropDecoder = new CropDecoder(decoder, analysisOptions.CropSettings);
            var embed = new EmbedStage(store, options.Workers, progress, (track, rateHz) => MonoCrop(cropDecoder, track, rateHz));
            ContrastiveEncoder? contrastive = null;
            foreach (var name in options.EmbedSettings.EncoderNames)
            {
                EncoderTrainingSummary? training = null;
                var encoder = Encoders.Create(name, options.EmbedSettings, () =>
                {
                    (contrastive, training) = LoadOrTrainContrastive(store, analyzed, cancellationToken);
                    return contrastive;
                });
                try
                {
                    var (vectors, run) = embed.Encode(encoder, analyzed, cancellationToken);
                    embeddings.AddRange(vectors);
                    encoderRuns.Add((run, training));
                }
                finally
                {
                    (encoder as IDisposable)?.Dispose();
                }
            }
            if (options.RatingSettings is { Enabled: true, Regressor: RegressorKind.Joint })
            {
                try
                {
                    var (model, vectors, run, training) = FineTuneJointly(
                        contrastive ?? throw new InvalidOperationException("model.regressor joint fine-tunes the contrastive encoder: list contrastive in embed.encoders."),
                        rows, analyzed, store, embed, cancellationToken);
                    jointModel = model;
                    embeddings.AddRange(vectors);
                    encoderRuns.Add((run, training));
                }
                catch (TooFewRatingsException e)
                {
                    ratingSkipped = e.Message;
                    progress.Message($"No rating model: {e.Message}");
                }
            }
            Lap(EmbedStage.Name);
        }

        progress.Message($"Writing outputs to {options.OutputFolder}");
        var outputs = WriteOutputs(store, rows, candidates, analyzed, fingerprinted, duplicates, embeddings, encoderRuns.Select(r => r.Run).ToList());
        Lap("sink");

        RatingSummary? rating = null;
        if (analysisOptions.Enabled && options.RatingSettings.Enabled && ratingSkipped is null)
            (rating, ratingSkipped) = TrainRatingModel(outputs, jointModel);

        var ended = DateTime.UtcNow;
        var errors = rows.Where(r => r is { Error: not null, IsSkipped: false }).Select(r => r.Error).ToList();
        var skips = rows.Where(r => r.IsSkipped).Select(r => r.Error!).ToList();
        if (skips.Count > 0)
            progress.Message($"{skips.Count} file(s) skipped, not failed ({string.Join(", ", skips.GroupBy(e => e.Code.Name()).Select(g => $"{g.Count()} {g.Key}"))}): " +
                             "they are not analysed; byte-identical copies of them are still grouped");
        var summary = new RunSummary(
            runId, started, ended, (ended - started).TotalSeconds, options.Catalog.Description, Path.GetFullPath(options.StateFolder), options.Workers,
            new RunCounts(
                rows.Count,
                rows.Count(r => r.Probe.Status == TrackStatus.Ok && r.LaterError is null),
                errors.Count,
                rows.Count(r => r.Probe.Status == TrackStatus.Unavailable),
                probed.Count(t => t is { FromCache: false, Outcome: not null }),
                (int)probeStage.CacheHits,
                skips.Count),
            new RunCounters(
                prober.FilesOpened + analysisFilesOpened + contentFilesRead + (cropFingerprints ? 0 : fingerprinted.Count(f => !f.FromCache)),
                prober.FfprobeProcesses,
                fingerprinted.Count(f => f is { FromCache: false, Fingerprint: not null }),
                decoder.FfmpegProcesses,
                Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6, 1)),
            errors.GroupBy(e => e!.Code.Name()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            new GroupSummary(options.GroupingMode.ToString().ToLowerInvariant(), candidates.Count, candidates.Sum(g => g.Members.Count)),
            dedupeSummary,
            analysisSummary,
            encoderRuns.Select(r => new EmbeddingSummary(r.Run.ModelVersion, r.Run.Dimension, r.Run.Computed, r.Run.FromStore,
                r.Run.TracksPerSecond is { } rate ? Math.Round(rate, 2) : null, r.Training)).ToList(),
            rating,
            ratingSkipped,
            StateStore.ReadDeadLetters(options.StateFolder).Count,
            _stageSeconds,
            new Dictionary<string, string>
            {
                ["ssis"] = typeof(JobRunner).Assembly.GetName().Version?.ToString() ?? "0",
                ["dotnet"] = Environment.Version.ToString(),
                ["onnxruntime"] = Inference.OnnxModels.RuntimeVersion,
                ["parquet.net"] = PackageVersion(typeof(Parquet.ParquetWriter)),
                ["apache.arrow"] = PackageVersion(typeof(Apache.Arrow.RecordBatch)),
                ["chromaprint"] = fingerprintOptions.Enabled ? ChromaprintFingerprinter.LibraryVersion : "not used",
                ["libsndfile"] = SndfileSource.Version,
                ["prober"] = AudioProber.Version.ToString(),
                ["fingerprint_stage"] = FingerprintStage.Version.ToString(),
                ["analysis_stage"] = AnalysisStage.Version.ToString(),
            },
            outputs,
            _warnings,
            skips.GroupBy(e => e.Code.Name()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
        summary.Write(options.OutputFolder);
        Report.HtmlReport.WriteOrWarn(options.OutputFolder, progress.Message);
        return summary;
    }

    /// <summary>Analyses the probed tracks; returns them, the summary of this run's analysis work and the audio files it opened.</summary>
    private async Task<(IReadOnlyList<AnalyzedTrack>, AnalysisSummary, long FilesOpened)> AnalyseAsync(StateStore store, string runId, AudioDecoder decoder,
        IReadOnlyList<ProbedTrack> probed, IReadOnlySet<string> fingerprintPaths, CancellationToken cancellationToken)
    {
        var settings = options.AnalysisSettings;
        var (detectors, signature) = SpeechDetectors.Choose(settings.SpeechSettings, out var fallbackReason);
        if (fallbackReason is not null) progress.Message(fallbackReason);
        var cropDecoder = new CropDecoder(decoder, settings.CropSettings);
        // The log-mel excerpt does not change the analysis: a cached row without it is analysed again once, when it is needed.
        var cacheKey = $"v{AnalysisStage.Version};crop={settings.CropSettings.CropSeconds};speech={signature}";
        var keepLogMel = settings.WriteMel || options.EmbedSettings.ReadsLogMel;
        var stage = new AnalysisStage(cropDecoder, detectors, store.LoadAnalysisCache(cacheKey), fingerprintPaths, keepLogMel, options.RetryFailed);
        IReadOnlyList<AnalyzedTrack> analyzed;
        try
        {
            analyzed = await BoundedStage.RunAsync(AnalysisStage.Name, probed.Where(t => t.Status == TrackStatus.Ok).ToList(),
                t => Retried(() => stage.Analyze(t), r => r.Error, (r, n) => r with { Attempts = n }),
                batch => store.SaveAnalyses(runId, cacheKey, batch), options.Workers, progress, cancellationToken);
        }
        finally
        {
            stage.ReleaseDetectors();
        }
        Lap(AnalysisStage.Name);
        var threshold = settings.SpeechSettings.Threshold;
        // Decoders describe this run's work; the speech count describes the library.
        var decodedNow = analyzed.Where(a => a is { FromCache: false, Analysis: not null }).ToList();
        return (analyzed, new AnalysisSummary(
            decodedNow.Count, (int)stage.CacheHits, analyzed.Count(a => a.Error is { } e && !e.Code.IsSkip()),
            decodedNow.Count(a => a.Analysis!.Decoder == SndfileSource.Name), decodedNow.Count(a => a.Analysis!.Decoder == FfmpegPipeSource.Name),
            analyzed.Count(a => a.Analysis?.SpeechProbability > threshold), signature), stage.FilesOpened);
    }

    /// <summary>Each candidate's content keys: its bytes' when another member has its size, its decoded audio's when it is too short to fingerprint.</summary>
    private static (Dictionary<string, IReadOnlyList<string>> Keys, int FilesRead) ContentKeysOf(IReadOnlyList<CandidateGroup> candidates, IReadOnlyList<AnalyzedTrack> analyzed,
        string stateFolder)
    {
        var (files, filesRead) = ContentKeys.IdenticalFiles(candidates, stateFolder);
        var audio = analyzed.Where(a => a.DecodedAudioKey is not null).ToDictionary(a => a.Track.Track.Path, a => a.DecodedAudioKey!);
        return (files.Keys.Union(audio.Keys).ToDictionary(p => p,
            p => (IReadOnlyList<string>)new[] { files.GetValueOrDefault(p), audio.GetValueOrDefault(p) }.OfType<string>().ToList()), filesRead);
    }

    /// <summary>The NuGet version of the package holding <paramref name="type"/> (its assembly version may differ: Parquet.Net 6.1.0 is 6.0.0.0).</summary>
    private static string PackageVersion(Type type) =>
        System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(type.Assembly)!.InformationalVersion.Split('+')[0];

    private List<string> WriteOutputs(StateStore store, List<TrackRow> rows, IReadOnlyList<CandidateGroup> candidates, IReadOnlyList<AnalyzedTrack> analyzed,
        IReadOnlyList<FingerprintedTrack> fingerprinted, IReadOnlyList<DuplicateGroup> duplicates, IReadOnlyList<TrackEmbedding> embeddings,
        IReadOnlyList<EncoderRun> encoderRuns)
    {
        var folder = options.OutputFolder;
        var formats = options.Formats;
        Directory.CreateDirectory(folder);
        var outputs = new List<string>();
        outputs.AddRange(TracksTable.Write(folder, rows, formats));
        outputs.AddRange(GroupsTable.Write(folder, candidates, formats));
        if (options.AnalysisSettings.Enabled)
        {
            outputs.AddRange(AnalysisTable.Write(folder, analyzed, options.AnalysisSettings.SpeechSettings.Threshold, formats));
            if (options.AnalysisSettings.WriteMel)
            {
                // One track's frames at a time, read back from the store as the table is written.
                outputs.AddRange(MelTable.Write(folder, analyzed.Where(a => a.Analysis is not null)
                    .Select(a => a with { LogMelDb = store.LoadLogMel(a.Track.Track.Path, a.Track.Stamp!.Value)?.ToPooledDb() is { } mel ? Rows(mel) : null }),
                    formats));
            }
            outputs.AddRange(EmbeddingsTable.Write(folder, embeddings, encoderRuns, formats));
        }
        if (options.FingerprintSettings.Enabled)
        {
            outputs.AddRange(FingerprintsTable.Write(folder, options.FingerprintSettings.Source, fingerprinted, formats));
            outputs.AddRange(DuplicatesTable.Write(folder, duplicates, formats));
        }
        outputs.Add(RunSummary.FileName);
        return outputs;
    }

    private static List<TrackRow> TrackRows(IReadOnlyList<ProbedTrack> probed, IReadOnlyList<AnalyzedTrack> analyzed,
        IReadOnlyList<FingerprintedTrack> fingerprinted, IReadOnlyList<DuplicateGroup> duplicates, double speechThreshold)
    {
        var analyses = analyzed.ToDictionary(a => a.Track.Track.Path);
        var fingerprintFailures = fingerprinted.Where(f => f.Error is not null).ToDictionary(f => f.Track.Track.Path, f => f.Error!);
        var membership = duplicates.SelectMany(g => g.Members.Select(m => (m.Track.Track.Path, new TrackDuplicate(g.GroupId, m.IsCanonical, g.MergedRating))))
            .ToDictionary(x => x.Path, x => x.Item2);
        return probed.Select(t =>
        {
            var path = t.Track.Path;
            var analysis = analyses.GetValueOrDefault(path);
            var (error, stage) = analysis?.Error is { } a ? (a, AnalysisStage.Name)
                : fingerprintFailures.TryGetValue(path, out var f) ? (f, FingerprintStage.Name)
                : ((FileError?)null, (string?)null);
            return new TrackRow(t, error, stage, membership.GetValueOrDefault(path),
                analysis?.Analysis is { } done ? done.SpeechProbability > speechThreshold : null);
        }).ToList();
    }

    /// <summary>
    /// Trains the rating model on the written outputs (or publishes joint mode's, trained with the encoder) and
    /// recommends; too few ratings is a message, not a failure.
    /// </summary>
    private (RatingSummary?, string?) TrainRatingModel(List<string> outputs, RatingModel? jointModel)
    {
        var settings = options.RatingSettings;
        if (jointModel is null)
            progress.Message($"Training the rating model ({settings.Regressor.ToString().ToLowerInvariant()} on {settings.Encoder} embeddings)");
        progress.StageStarted(ProgressStages.RatingModel, 1);
        try
        {
            var summary = jointModel is null
                ? RatingStep.Train(options.OutputFolder, settings, options.RecommendSettings, options.Formats, options.Workers)
                : RatingStep.Publish(options.OutputFolder, jointModel, settings, options.RecommendSettings, options.Formats);
            progress.Advanced(ProgressStages.RatingModel);
            progress.StageFinished(ProgressStages.RatingModel);
            progress.Message($"Rating model, {settings.Folds}-fold over {summary.Rated} rated tracks: {summary.CrossValidated.Describe()}");
            var emptyPlaylist = summary.Recommended == 0
                ? $"the playlist {summary.Xspf} is empty: no track is predicted at or above recommend.min_rating {options.RecommendSettings.MinRating:0.00}"
                : null;
            foreach (var warning in new[] { summary.Warning, emptyPlaylist }.OfType<string>())
            {
                _warnings.Add(warning);
                progress.Message($"warning: {warning}");
            }
            outputs.InsertRange(outputs.Count - 1, [
                .. jointModel is null ? Array.Empty<string>() : [JointTrainer.EncoderFileName],
                .. summary.ModelFiles, RatingStep.MetricsFileName,
                .. options.Formats.Each().SelectMany(f => new[] { PredictionsTable.Schema.FileName(f), PredictionsTable.RecommendationsSchema.FileName(f) }),
                Path.GetRelativePath(options.OutputFolder, summary.Xspf!)]);
            Lap("rating");
            return (summary, null);
        }
        catch (TooFewRatingsException e)
        {
            progress.StageFinished(ProgressStages.RatingModel);
            progress.Message($"No rating model: {e.Message}");
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Joint mode: fine-tunes a copy of the contrastive encoder together with an MLP head on the rated tracks (k-fold for
    /// the scores, then on all), saves the fine-tuned encoder in the output folder (its hash names the new embedding
    /// version) and embeds every analysed track with it.
    /// </summary>
    private (RatingModel, IReadOnlyList<TrackEmbedding>, EncoderRun, EncoderTrainingSummary) FineTuneJointly(ContrastiveEncoder pretrained,
        IReadOnlyList<TrackRow> rows, IReadOnlyList<AnalyzedTrack> analyzed, StateStore store, EmbedStage embed, CancellationToken cancellationToken)
    {
        var settings = options.RatingSettings;
        var examples = rows.Where(r => r is { IsRatingCandidate: true, EffectiveRating: not null, Probe.Stamp: not null })
            .Select(r => (Frames: store.LoadLogMel(r.Probe.Track.Path, r.Probe.Stamp!.Value), Rating: r.EffectiveRating!.Value))
            .Where(e => e.Frames is not null)
            .Select(e => new JointExample(e.Frames!.ToPooledDb(), e.Rating))
            .ToList();
        progress.Message($"Joint mode: fine-tuning {pretrained.Version} with a rating head on {examples.Count} rated tracks");
        var clock = Stopwatch.StartNew();
        var training = JointTrainer.Train(pretrained.Network, examples, settings, options.Workers, progress.Message, cancellationToken);
        var losses = training.Final.Losses;
        var version = ContrastiveCheckpoint.Save(Path.Combine(options.OutputFolder, JointTrainer.EncoderFileName), training.Final.Network,
            new TrainingRecord(examples.Count, losses), Encoders.JointName);
        var trainingSummary = new EncoderTrainingSummary(examples.Count, losses.Count, Math.Round(losses[0].Loss, 4), Math.Round(losses[^1].Loss, 4),
            Math.Round(clock.Elapsed.TotalSeconds, 2), "mse");
        var (vectors, run) = embed.Encode(new ContrastiveEncoder(training.Final.Network, version, Encoders.JointName), analyzed, cancellationToken);
        return (training.ToModel(version, pretrained.Version, settings), vectors, run, trainingSummary);
    }

    /// <summary>
    /// The contrastive encoder from its checkpoint, or trained now on the stored log-mel excerpts of the analysed tracks
    /// (an even sample of <see cref="ContrastiveTrainingTracks"/> of them in a larger library).
    /// </summary>
    private (ContrastiveEncoder Encoder, EncoderTrainingSummary? Training) LoadOrTrainContrastive(StateStore store, IReadOnlyList<AnalyzedTrack> analyzed,
        CancellationToken cancellationToken)
    {
        var settings = options.EmbedSettings.ContrastiveSettings;
        var checkpoint = options.EmbedSettings.CheckpointPath(options.StateFolder);
        var clock = Stopwatch.StartNew();
        var (encoder, record, trained) = ContrastiveEncoder.LoadOrTrain(settings, checkpoint,
            () =>
            {
                var sample = TrainingSample(analyzed.Where(a => a is { Analysis: not null, Track.Stamp: not null }).ToList(), ContrastiveTrainingTracks)
                    .Select(a => store.LoadLogMel(a.Track.Track.Path, a.Track.Stamp!.Value)?.ToPooledDb())
                    .OfType<Matrix>().ToList();
                progress.Message($"Training the contrastive encoder ({settings.Epochs} epochs) on {sample.Count} tracks");
                progress.StageStarted(ProgressStages.ContrastiveTraining, settings.Epochs);
                return sample;
            },
            options.Workers, epoch =>
            {
                progress.Advanced(ProgressStages.ContrastiveTraining);
                if (epoch.Epoch == 1 || epoch.Epoch % 5 == 0 || epoch.Epoch == settings.Epochs)
                    progress.Message($"Contrastive epoch {epoch.Epoch}/{settings.Epochs}: NT-Xent loss {epoch.Loss:F3}");
            }, cancellationToken);
        if (trained) progress.StageFinished(ProgressStages.ContrastiveTraining);
        else progress.Message($"Contrastive encoder {encoder.Version} loaded from {checkpoint}");
        return (encoder, trained
            ? new EncoderTrainingSummary(record.Tracks, record.Losses.Count, Math.Round(record.Losses[0].Loss, 4), Math.Round(record.Losses[^1].Loss, 4),
                Math.Round(clock.Elapsed.TotalSeconds, 2), "nt-xent")
            : null);
    }

    /// <summary>
    /// The most tracks contrastive training reads: their excerpts stay in memory for every epoch (98 KB each as floats,
    /// about 100 MB here), and 30 epochs over them take about 3 minutes on 2 cores, whatever the library's size.
    /// </summary>
    public const int ContrastiveTrainingTracks = 1000;

    /// <summary>At most <paramref name="limit"/> tracks spread evenly over the list (in catalog order), so a run gives the same sample every time.</summary>
    private static IEnumerable<AnalyzedTrack> TrainingSample(IReadOnlyList<AnalyzedTrack> tracks, int limit) =>
        tracks.Count <= limit ? tracks : Enumerable.Range(0, limit).Select(i => tracks[(int)((long)i * tracks.Count / limit)]);

    /// <summary>A matrix's rows as arrays (mel.parquet's frames).</summary>
    private static float[][] Rows(Matrix matrix) => Enumerable.Range(0, matrix.Rows).Select(r => matrix.Row(r).ToArray()).ToArray();

    private static float[] MonoCrop(CropDecoder decoder, ProbedTrack track, int rateHz)
    {
        using var crop = decoder.Decode(track.Track.Path, track.Properties!);
        using var channels = crop.AtRate(rateHz);
        using var mono = channels.Downmix();
        return mono.Span.ToArray();
    }

    /// <summary>Runs one file's work under the job's retry policy and records how many attempts it took.</summary>
    private T Retried<T>(Func<T> work, Func<T, FileError?> errorOf, Func<T, int, T> withAttempts)
    {
        var (result, attempts) = options.RetrySettings.Run(work, errorOf);
        return attempts == 1 ? result : withAttempts(result, attempts);
    }

    private void Lap(string stage)
    {
        _stageSeconds[stage] = _clock.Elapsed.TotalSeconds;
        _clock.Restart();
    }
}
