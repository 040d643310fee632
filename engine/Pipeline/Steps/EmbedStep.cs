using System.Diagnostics;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// One vector per analysed track and encoder; trains the contrastive encoder first when it has no checkpoint (a
/// barrier over the stored log-mel excerpts), and in joint mode fine-tunes it with the rating head.
/// </summary>
public sealed class EmbedStep : IRunStep
{
    /// <summary>
    /// The most rated tracks joint mode fine-tunes on: their excerpts stay in memory for every epoch (about 200 MB), and
    /// a larger library's ratings are an even sample of this many.
    /// </summary>
    public const int JointTrainingTracks = 2000;

    public string Name => EmbedStage.Name;
    public string Description => "one vector per analysed track and encoder; trains the contrastive encoder (and joint mode's) when needed";
    public StepScope Scope => StepScope.Library;
    public bool IsEnabled(JobOptions options) => options.AnalysisSettings.Enabled;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var cropDecoder = new CropDecoder(run.Decoder, options.AnalysisSettings.CropSettings);
        var embed = new EmbedStage(run.Store, run.StoredAnalyses, options.Workers, run.Progress, (track, rateHz) => MonoCrop(cropDecoder, track, rateHz));
        ContrastiveEncoder? contrastive = null;
        string? contrastiveSkipped = null;
        foreach (var name in options.EmbedSettings.EncoderNames)
        {
            EncoderTrainingSummary? training = null;
            IAudioEncoder encoder;
            try
            {
                encoder = Encoders.Create(name, options.EmbedSettings, () =>
                {
                    (contrastive, training) = LoadOrTrainContrastive(run, cancellationToken);
                    return contrastive;
                });
            }
            catch (TooFewTrainingTracksException e)
            {
                // A library of a track or two (or of short clips) still gets its other encoders' vectors.
                contrastiveSkipped = e.Message;
                run.Progress.Message($"No {name} vectors this run. {e.Message}");
                continue;
            }
            try
            {
                run.EncoderRuns.Add((embed.Encode(encoder, run.Analyzed, cancellationToken), training));
            }
            finally
            {
                (encoder as IDisposable)?.Dispose();
            }
        }
        if (options.RatingSettings is { Enabled: true, Regressor: RegressorKind.Joint } && contrastiveSkipped is not null)
        {
            run.RatingSkipped = $"joint mode fine-tunes the contrastive encoder, which this run could not train. {contrastiveSkipped}";
            run.Progress.Message($"No rating model: {run.RatingSkipped}");
        }
        else if (options.RatingSettings is { Enabled: true, Regressor: RegressorKind.Joint })
        {
            try
            {
                FineTuneJointly(run, contrastive ?? throw new InvalidOperationException(
                    "model.regressor joint fine-tunes the contrastive encoder: list contrastive in embed.encoders."), embed, cancellationToken);
            }
            catch (TooFewRatingsException e)
            {
                run.RatingSkipped = e.Message;
                run.Progress.Message($"No rating model: {e.Message}");
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Joint mode: fine-tunes a copy of the contrastive encoder together with an MLP head on the rated tracks (k-fold for
    /// the scores, then on all), saves the fine-tuned encoder in the output folder (its hash names the new embedding
    /// version) and embeds every analysed track with it.
    /// </summary>
    private static void FineTuneJointly(RunContext run, ContrastiveEncoder pretrained, EmbedStage embed, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var settings = options.RatingSettings;
        var rated = run.Rows.Where(r => r is { IsRatingCandidate: true, EffectiveRating: not null, Probe.Stamp: not null }).ToList();
        if (rated.Count > JointTrainingTracks)
            run.Progress.Message($"Joint mode: an even sample of {JointTrainingTracks} of the {rated.Count} rated tracks keeps the excerpts in memory bounded");
        var withFrames = EvenSample(rated, JointTrainingTracks)
            .Select(r => (Row: r, Frames: run.Store.LoadLogMel(r.Probe.Track.Path, r.Probe.Stamp!.Value)))
            .Where(e => e.Frames is not null)
            .ToList();
        var examples = withFrames.Select(e => new JointExample(e.Frames!.ToPooledDb(), e.Row.EffectiveRating!.Value)).ToList();
        run.Progress.Message($"Joint mode: fine-tuning {pretrained.Version} with a rating head on {examples.Count} rated tracks");
        var clock = Stopwatch.StartNew();
        var training = JointTrainer.Train(pretrained.Network, examples, settings, options.Workers, run.Progress.Message, cancellationToken);
        var losses = training.Final.Losses;
        var version = ContrastiveCheckpoint.Save(Path.Combine(options.OutputFolder, JointTrainer.EncoderFileName), training.Final.Network,
            new TrainingRecord(examples.Count, losses, examples.Count), Encoders.JointName);
        var trainingSummary = new EncoderTrainingSummary(examples.Count, losses.Count, Math.Round(losses[0].Loss, 4), Math.Round(losses[^1].Loss, 4),
            Math.Round(clock.Elapsed.TotalSeconds, 2), "mse");
        var encoderRun = embed.Encode(new ContrastiveEncoder(training.Final.Network, version, Encoders.JointName), run.Analyzed, cancellationToken);
        run.JointModel = training.ToModel(version, pretrained.Version, settings);
        run.JointOutOfFold = withFrames.Select((e, i) =>
            new OutOfFoldPrediction(e.Row.Probe.Track.TrackId, e.Row.Probe.Track.Path, training.Ratings[i], training.OutOfFold[i])).ToList();
        run.EncoderRuns.Add((encoderRun, trainingSummary));
    }

    /// <summary>
    /// The contrastive encoder from its checkpoint, or trained now on the stored log-mel excerpts of the analysed tracks
    /// (an even sample of <see cref="ContrastiveEncoder.MaxTrainingTracks"/> of them in a larger library).
    /// </summary>
    private static (ContrastiveEncoder Encoder, EncoderTrainingSummary? Training) LoadOrTrainContrastive(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var settings = options.EmbedSettings.ContrastiveSettings;
        var checkpoint = options.EmbedSettings.CheckpointPath(options.StateFolder);
        var clock = Stopwatch.StartNew();
        var library = run.Analyzed.Where(a => a is { Analysis: not null, Track.Stamp: not null }).ToList();
        var (encoder, record, trained) = ContrastiveEncoder.LoadOrTrain(settings, checkpoint, library.Count,
            () =>
            {
                var sample = EvenSample(library, ContrastiveEncoder.MaxTrainingTracks)
                    .Select(a => run.Store.LoadLogMel(a.Track.Track.Path, a.Track.Stamp!.Value)?.ToPooledDb())
                    .OfType<Matrix>().ToList();
                var usable = ContrastiveTrainer.RequireEnough(sample, settings);
                run.Progress.Message($"Training the contrastive encoder ({settings.Epochs} epochs) on {usable.Count} tracks" +
                                     (usable.Count < sample.Count ? $" ({sample.Count - usable.Count} shorter than a {settings.WindowFrames}-frame view are left out)" : ""));
                run.Progress.StageStarted(ProgressStages.ContrastiveTraining, settings.Epochs);
                return usable;
            },
            options.Workers, epoch =>
            {
                run.Progress.Advanced(ProgressStages.ContrastiveTraining);
                if (epoch.Epoch == 1 || epoch.Epoch % 5 == 0 || epoch.Epoch == settings.Epochs)
                    run.Progress.Message($"Contrastive epoch {epoch.Epoch}/{settings.Epochs}: NT-Xent loss {epoch.Loss:F3}");
            },
            outgrown => run.Progress.Message($"The library has grown from {outgrown.LibraryTracks} to {library.Count} analysed tracks since the contrastive " +
                                             "encoder was trained: training it again (a new version; every track's vector is computed again from the state)"),
            cancellationToken);
        if (trained) run.Progress.StageFinished(ProgressStages.ContrastiveTraining);
        else run.Progress.Message($"Contrastive encoder {encoder.Version} loaded from {checkpoint}");
        return (encoder, trained
            ? new EncoderTrainingSummary(record.Tracks, record.Losses.Count, Math.Round(record.Losses[0].Loss, 4), Math.Round(record.Losses[^1].Loss, 4),
                Math.Round(clock.Elapsed.TotalSeconds, 2), "nt-xent")
            : null);
    }

    /// <summary>At most <paramref name="limit"/> tracks spread evenly over the list (in catalog order), so a run gives the same sample every time.</summary>
    private static IEnumerable<T> EvenSample<T>(IReadOnlyList<T> tracks, int limit) =>
        tracks.Count <= limit ? tracks : Enumerable.Range(0, limit).Select(i => tracks[(int)((long)i * tracks.Count / limit)]);

    internal static float[] MonoCrop(CropDecoder decoder, ProbedTrack track, int rateHz)
    {
        using var crop = decoder.Decode(track.Track.Path, track.Properties!);
        using var channels = crop.AtRate(rateHz);
        using var mono = channels.Downmix();
        return mono.Span.ToArray();
    }
}
