using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Segments;

/// <summary>The network's shape and how it was trained (stored in the weights file).</summary>
public sealed record SegmenterSettings(int Inputs, IReadOnlyList<int> HiddenUnits, double Dropout, ulong Seed, int Epochs, int TrainingBlocks,
    IReadOnlyList<double> EpochLosses);

/// <summary>
/// The frame classifier: z-scored block features → (linear → ReLU → dropout) per hidden layer → linear → softmax over
/// <see cref="SegmentLabel"/>. Stored as one little-endian binary file (magic, format, settings JSON, feature mean and
/// std, then each parameter by name, floats as their bits) whose SHA-256 names the model version.
/// </summary>
public sealed class SegmenterModel
{
    public const string FileName = "segmenter.bin";
    private const string Magic = "SSIS-SEGMENTER";
    private const int Format = 1;

    public SegmenterSettings Settings { get; }
    public float[] FeatureMean { get; }
    public float[] FeatureStd { get; }
    public Sequential Network { get; }
    private readonly System.Collections.Concurrent.ConcurrentBag<ILayer> _idleReplicas = [];

    /// <summary>"segmenter-" and the first 12 hex digits of the weights file's SHA-256 (empty until saved or loaded).</summary>
    public string Version { get; private set; } = "";

    public SegmenterModel(SegmenterSettings settings, float[] featureMean, float[] featureStd, Rng rng)
    {
        Settings = settings;
        FeatureMean = featureMean;
        FeatureStd = featureStd;
        var layers = new List<ILayer> { new Standardise(featureMean, featureStd) };
        var width = settings.Inputs;
        for (var h = 0; h < settings.HiddenUnits.Count; h++)
        {
            layers.AddRange([new Linear($"hidden{h}", width, settings.HiddenUnits[h], rng), new Relu(), new Dropout(settings.Dropout, rng)]);
            width = settings.HiddenUnits[h];
        }
        layers.Add(new Linear("output", width, SegmentLabels.Count, rng));
        Network = new Sequential(layers);
    }

    /// <summary>The default shipped weights: <see cref="FileName"/> beside the engine assembly.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>Class probabilities of each block's features, one row per block. Safe to call from several threads at once.</summary>
    public Matrix Probabilities(IReadOnlyList<float[]> blocks)
    {
        // A layer keeps what its backward pass needs between calls, so concurrent callers each take a replica (the same
        // weights). Dropout, idle here, is left out: its replica would fork the trainer's generator and change training.
        var network = _idleReplicas.TryTake(out var idle) ? idle : new Sequential(Network.Layers.Where(l => l is not Dropout).Select(l => l.Replica()).ToList());
        try
        {
            var logits = network.Forward(Matrix.FromRows(blocks), training: false);
            Softmax.InPlace(logits);
            return logits;
        }
        finally
        {
            _idleReplicas.Add(network);
        }
    }

    public string Save(string path)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Format);
            writer.Write(JsonSerializer.Serialize(Settings));
            ParameterFile.WriteFloats(writer, FeatureMean);
            ParameterFile.WriteFloats(writer, FeatureStd);
            ParameterFile.WriteParameters(writer, Network.Parameters);
        }
        var bytes = stream.ToArray();
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
        Version = VersionOf(bytes);
        return Version;
    }

    /// <summary>Loads a weights file; a missing, foreign or damaged file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static SegmenterModel Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"segmenter weights {path} not found: build the solution (it copies them) or run 'ssis train segmenter'");
        var bytes = File.ReadAllBytes(path);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (reader.ReadString() != Magic) throw new InvalidDataException("not SSIS segmenter weights");
            if (reader.ReadInt32() is var format and not Format) throw new InvalidDataException($"format {format}, expected {Format}");
            var settings = JsonSerializer.Deserialize<SegmenterSettings>(reader.ReadString()) ?? throw new InvalidDataException("no settings");
            var model = new SegmenterModel(settings, ParameterFile.ReadFloats(reader), ParameterFile.ReadFloats(reader), new Rng(0));
            ParameterFile.ReadParameters(reader, model.Network.Parameters);
            if (model.FeatureMean.Length != SegmentFeatures.FeatureCount || settings.Inputs != SegmentFeatures.FeatureCount)
                throw new InvalidDataException($"made for {settings.Inputs} features, the engine computes {SegmentFeatures.FeatureCount}");
            model.Version = VersionOf(bytes);
            return model;
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"segmenter weights {path} are unreadable: {e.Message}", e);
        }
    }

    private static string VersionOf(byte[] bytes) => "segmenter-" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];


}

/// <summary>Row-wise softmax, shifted by the row's maximum so large logits do not overflow.</summary>
public static class Softmax
{
    public static void InPlace(Matrix logits)
    {
        for (var r = 0; r < logits.Rows; r++)
        {
            var row = logits.Row(r);
            var max = float.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            var sum = 0f;
            for (var c = 0; c < row.Length; c++) sum += row[c] = MathF.Exp(row[c] - max);
            for (var c = 0; c < row.Length; c++) row[c] /= sum;
        }
    }
}
