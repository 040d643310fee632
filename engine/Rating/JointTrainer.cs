using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Rating;

/// <summary>A rated track as joint training sees it: its pooled log-mel frames in dB (<see cref="LogMelSequence.Pooled"/>) and its rating in [0, 1].</summary>
public sealed record JointExample(Matrix PooledDb, double Rating);

/// <summary>
/// A fine-tuned copy of the contrastive encoder, the feature standardisation and MLP head trained with it, and the
/// training MSE per fine-tuning epoch. <c>Head.Epochs</c> is the epoch whose weights were kept (0: the head fitted on
/// the frozen encoder, when fine-tuning never beat it on the validation split).
/// </summary>
public sealed record JointFit(ContrastiveNetwork Network, Standardisation Features, MlpState Head, IReadOnlyList<EpochLoss> Losses)
{
    /// <summary>Predicted ratings: the head on each track's standardised embedding (the mean over its windows), as the saved model predicts.</summary>
    public IReadOnlyList<double> Predict(IReadOnlyList<Matrix> pooledDb, int workers) =>
        JointTrainer.Predict(new GradientSlices(JointTrainer.Model(Network, Features, MlpRegressor.Network(Head)), workers), Network, pooledDb);
}

/// <summary>What joint training gives: the final fit on every rated track and k-fold out-of-fold predictions.</summary>
public sealed record JointTraining(JointFit Final, IReadOnlyList<double> OutOfFold, IReadOnlyList<double> Ratings)
{
    /// <summary>The rating model over the fine-tuned encoder's embeddings (<paramref name="jointVersion"/>).</summary>
    public RatingModel ToModel(string jointVersion, string fineTunedFrom, RatingOptions options)
    {
        var (scores, calibration) = RatingTrainer.Evaluate(Ratings, OutOfFold, options);
        return new RatingModel(jointVersion, RegressorKind.Joint, Final.Features, null, Final.Head, calibration, options.LikeThreshold, Ratings.Count,
            scores, DateTime.UtcNow, fineTunedFrom);
    }
}

/// <summary>
/// Joint mode: the contrastive encoder and an MLP head trained together, end to end, with MSE on the rated tracks.
/// First the head is fitted on the frozen encoder's embeddings (as the two-phase MLP would be); then encoder and head
/// are fine-tuned together from there, so early gradients from a random head never distort the encoder (linear probe
/// then fine-tune, Kumar et al. 2022). Each epoch shows every training track once, as a random window; early stopping
/// watches the MSE of whole-track predictions on a validation split from epoch 0 (before fine-tuning), so joint mode
/// keeps the two-phase head when fine-tuning does not help. The encoder steps more gently than the head
/// (<see cref="RatingOptions.EncoderLearningRate"/>). Deterministic for a seed whatever the worker count
/// (<see cref="GradientSlices"/>).
/// </summary>
public static class JointTrainer
{
    /// <summary>The fine-tuned encoder, in the run's output folder (a <see cref="ContrastiveCheckpoint"/>; its hash is in the version).</summary>
    public const string EncoderFileName = "joint_encoder.ckpt";

    private const int BatchSize = 16;

    /// <summary>k-fold out-of-fold predictions (each fold fine-tunes its own copy of <paramref name="pretrained"/>), then the final fit on all.</summary>
    /// <param name="onProgress">a line per fit, for the progress display</param>
    public static JointTraining Train(ContrastiveNetwork pretrained, IReadOnlyList<JointExample> examples, RatingOptions options, int workers,
        Action<string>? onProgress = null, CancellationToken cancellationToken = default)
    {
        RatingTrainer.RequireEnough(examples.Count, "with log-mel frames for the contrastive encoder", options);
        var folds = Math.Min(options.Folds, examples.Count);
        var outOfFold = RatingTrainer.OutOfFold(examples.Count, options, (fold, train, heldOut) =>
        {
            onProgress?.Invoke($"Joint fine-tuning, fold {fold + 1}/{folds} ({train.Count} rated tracks)");
            var fit = Fit(pretrained, train.Select(i => examples[i]).ToList(), options, workers, cancellationToken);
            return fit.Predict(heldOut.Select(i => examples[i].PooledDb).ToList(), workers);
        }, cancellationToken);
        onProgress?.Invoke($"Joint fine-tuning on all {examples.Count} rated tracks");
        var final = Fit(pretrained, examples, options, workers, cancellationToken);
        return new JointTraining(final, outOfFold, examples.Select(e => e.Rating).ToList());
    }

    /// <summary>One fine-tuning of a copy of <paramref name="pretrained"/> (left unchanged) with a new head.</summary>
    public static JointFit Fit(ContrastiveNetwork pretrained, IReadOnlyList<JointExample> examples, RatingOptions options, int workers,
        CancellationToken cancellationToken = default)
    {
        var network = pretrained.Copy();
        var rng = new Rng(options.Seed);
        var (train, validation) = EarlyStopping.Split(examples.Count, options.ValidationShare, rng);
        var monitored = (validation.Count > 0 ? validation : train).Select(i => examples[i]).ToList();

        var trainEmbeddings = new float[train.Count][];
        new GradientSlices(network.Encoder, workers, cancellationToken)
            .For(train.Count, (encoder, t) => trainEmbeddings[t] = network.Embed(examples[train[t]].PooledDb, encoder));
        var features = Standardisation.Fit(trainEmbeddings);
        var probe = MlpRegressor.Fit(trainEmbeddings.Select(features.Apply).ToList(), train.Select(i => examples[i].Rating).ToList(), options, cancellationToken);
        var head = MlpRegressor.Network(probe.State);

        var model = Model(network, features, head);
        var slices = new GradientSlices(model, workers, cancellationToken);
        var encoderAdam = new Adam(network.Encoder.Parameters, options.EncoderLearningRate);
        var headAdam = new Adam(head.Parameters, options.LearningRate);
        var stopping = new EarlyStopping(model.Parameters, options.Patience);
        var losses = new List<EpochLoss>();
        stopping.Observe(0, MeanSquaredError(slices, network, monitored));
        for (var epoch = 1; epoch <= options.JointMaxEpochs; epoch++)
        {
            rng.Shuffle(train);
            double squaredSum = 0;
            foreach (var batch in train.Chunk(BatchSize))
            {
                var windows = batch.Select(i => RandomWindow(examples[i].PooledDb, network, rng)).ToArray();
                var squared = new double[batch.Length];
                slices.ZeroGrad();
                slices.For(batch.Length, (replica, b) =>
                {
                    var error = replica.Forward(windows[b], training: true).Data[0] - examples[batch[b]].Rating;
                    squared[b] = error * error;
                    replica.Backward(new Matrix(1, 1, [(float)(2 * error / batch.Length)]));
                });
                slices.SumIntoNetwork();
                encoderAdam.Step();
                headAdam.Step();
                squaredSum += squared.Sum();
            }
            losses.Add(new EpochLoss(epoch, squaredSum / Math.Max(1, train.Count)));
            if (stopping.Observe(epoch, MeanSquaredError(slices, network, monitored))) break;
        }
        stopping.RestoreBest();
        var headValues = stopping.BestValues.Skip(network.Encoder.Parameters.Count).ToList();
        return new JointFit(network, features, probe.State with { Parameters = headValues, Epochs = stopping.BestEpoch }, losses);
    }

    /// <summary>[encoder, [standardise, head]]: layer 0 embeds a window, layer 1 rates an embedding.</summary>
    public static Sequential Model(ContrastiveNetwork network, Standardisation features, Sequential head) =>
        new([network.Encoder, new Sequential([features.AsLayer(), head])]);

    private static double MeanSquaredError(GradientSlices slices, ContrastiveNetwork network, IReadOnlyList<JointExample> examples)
    {
        var predicted = Predict(slices, network, examples.Select(e => e.PooledDb).ToList());
        return examples.Select((e, i) => Math.Pow(predicted[i] - e.Rating, 2)).Average();
    }

    /// <summary>Whole-track predictions through replicas of <see cref="Model"/>.</summary>
    public static IReadOnlyList<double> Predict(GradientSlices slices, ContrastiveNetwork network, IReadOnlyList<Matrix> pooledDb)
    {
        var predicted = new double[pooledDb.Count];
        slices.For(pooledDb.Count, (replica, i) =>
        {
            var embedding = network.Embed(pooledDb[i], (Sequential)replica.Layers[0]);
            predicted[i] = replica.Layers[1].Forward(new Matrix(1, embedding.Length, embedding), training: false).Data[0];
        });
        return predicted;
    }

    /// <summary>A random window of the track (the whole track when shorter), standardised with the encoder's band statistics.</summary>
    private static Matrix RandomWindow(Matrix pooledDb, ContrastiveNetwork network, Rng rng)
    {
        var length = Math.Min(network.Settings.WindowFrames, pooledDb.Rows);
        var start = rng.Next(pooledDb.Rows - length + 1);
        return LogMelSequence.Window(pooledDb, start, length, network.BandMean, network.BandStd);
    }
}
