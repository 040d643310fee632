using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Rating;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Learning;

/// <summary>
/// Joint mode on synthetic log-mel sequences whose rating is set by one mel band: 64 bands of frame noise and a
/// per-track level, with liked tracks 6 dB louder in band 10 only. A small frozen encoder mixes that band in with the
/// other 63 and barely sees it; fine-tuning the encoder with the head must find it.
/// </summary>
public class JointTrainerTests(ITestOutputHelper log)
{
    private const int Band = 10;
    private static readonly ContrastiveSettings Small = new(Dimension: 2, HiddenUnits: 8, ContextFrames: 1, WindowFrames: 16, Seed: 3);

    private static List<JointExample> Tracks(int count, Rng rng) => Enumerable.Range(0, count).Select(t =>
    {
        var liked = t % 2 == 0;
        var level = 6 * rng.NextGaussian();
        var frames = new Matrix(48, LogMelSequence.Bands);
        for (var f = 0; f < frames.Rows; f++)
            for (var b = 0; b < LogMelSequence.Bands; b++)
                frames[f, b] = (float)(level + 3 * rng.NextGaussian() + (liked && b == Band ? 6 : 0));
        return new JointExample(frames, liked ? 1.0 : 0.0);
    }).ToList();

    private static ContrastiveNetwork Pretrained(IReadOnlyList<JointExample> tracks)
    {
        var (mean, std) = LogMelSequence.BandStatistics(tracks.Select(t => t.PooledDb).ToList());
        return new ContrastiveNetwork(Small, mean, std);
    }

    private static RatingOptions Options(double encoderLearningRate) => new(HiddenUnits: [8], Dropout: 0, MaxEpochs: 300, Patience: 40,
        LearningRate: 3e-3, Folds: 4, MinRated: 10, LikeThreshold: 0.5, JointMaxEpochs: 150, EncoderLearningRate: encoderLearningRate);

    [Fact]
    public void Fine_tuning_the_encoder_learns_a_rule_the_frozen_encoder_misses()
    {
        var tracks = Tracks(64, new Rng(7));
        var pretrained = Pretrained(tracks);
        var likes = tracks.Select(t => t.Rating >= 0.5).ToList();
        double Auc(double encoderLearningRate) => RatingMetrics.Auc(likes, JointTrainer.Train(pretrained, tracks, Options(encoderLearningRate), workers: 2).OutOfFold)!.Value;

        var frozen = Auc(0);
        var joint = Auc(3e-3);
        log.WriteLine($"out-of-fold AUC: frozen encoder {frozen:0.000}, fine-tuned {joint:0.000}");
        Assert.True(joint >= 0.9, $"fine-tuned AUC {joint:0.000}");
        Assert.True(joint - frozen >= 0.15, $"fine-tuned {joint:0.000} vs frozen {frozen:0.000}");
    }

    [Fact]
    public void Fine_tuning_is_deterministic_for_any_worker_count_and_leaves_the_pretrained_encoder_unchanged()
    {
        var tracks = Tracks(24, new Rng(8));
        var pretrained = Pretrained(tracks);
        var before = pretrained.Parameters.Select(p => (float[])p.Value.Clone()).ToList();
        // Monitoring the training tracks themselves, fine-tuning surely beats the frozen-encoder head within 20 epochs.
        var options = Options(3e-3) with { JointMaxEpochs = 20, ValidationShare = 0 };

        var one = JointTrainer.Fit(pretrained, tracks, options, workers: 1);
        var two = JointTrainer.Fit(pretrained, tracks, options, workers: 2);

        Assert.Equal(before, pretrained.Parameters.Select(p => p.Value));
        var record = new TrainingRecord(tracks.Count, one.Losses, tracks.Count);
        Assert.Equal(ContrastiveCheckpoint.ToBytes(one.Network, record), ContrastiveCheckpoint.ToBytes(two.Network, record));
        Assert.Equal(one.Head.Parameters, two.Head.Parameters);
        Assert.Equal(one.Losses, two.Losses);
        Assert.True(one.Head.Epochs > 0, "fine-tuning should beat the head on the frozen encoder here");
        Assert.NotEqual(ContrastiveCheckpoint.ToBytes(pretrained, record), ContrastiveCheckpoint.ToBytes(one.Network, record));
    }

    [Fact]
    public void The_saved_model_predicts_from_stored_embeddings_what_training_predicted_from_frames()
    {
        var tracks = Tracks(24, new Rng(9));
        var fit = JointTrainer.Fit(Pretrained(tracks), tracks, Options(3e-3) with { JointMaxEpochs = 5 }, workers: 2);
        var training = new JointTraining(fit, tracks.Select(t => t.Rating).ToList(), tracks.Select(t => t.Rating).ToList());
        var model = training.ToModel("contrastive-joint-test", "contrastive-test", Options(3e-3));

        var fromFrames = fit.Predict(tracks.Select(t => t.PooledDb).ToList(), workers: 2);
        var fromEmbeddings = tracks.Select(t => model.Predict(fit.Network.Embed(t.PooledDb))).ToList();
        Assert.Equal(fromFrames.Select(p => Math.Round(p, 5)), fromEmbeddings.Select(p => Math.Round(p, 5)));
        Assert.Equal(RegressorKind.Joint, model.Regressor);
    }
}
