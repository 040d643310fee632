using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SSIS.Batch.Engine.Output;

using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>What training left besides the weights: how many tracks it saw, the loss per epoch, and how many analysed
/// tracks the library had when it trained (<see cref="ContrastiveEncoder.LoadOrTrain"/> trains again when it has outgrown them).</summary>
public sealed record TrainingRecord(int Tracks, IReadOnlyList<EpochLoss> Losses, int LibraryTracks);

/// <summary>
/// A trained contrastive network in one little-endian binary file: magic, format, settings (JSON), the training record,
/// band statistics, then each parameter by name. Floats are stored as their bits, so a reload is bit-identical, and the
/// file's hash names the encoder version.
/// </summary>
public static class ContrastiveCheckpoint
{
    private const string Magic = "SSIS-CONTRASTIVE";
    /// <summary>2 adds the training record's library size; a format 1 file reads as never outgrown, as it was kept before.</summary>
    private const int Format = 2;

    public static byte[] ToBytes(ContrastiveNetwork network, TrainingRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Format);
            writer.Write(JsonSerializer.Serialize(network.Settings));
            writer.Write(record.Tracks);
            writer.Write(record.LibraryTracks);
            writer.Write(record.Losses.Count);
            foreach (var loss in record.Losses)
            {
                writer.Write(loss.Epoch);
                writer.Write(loss.Loss);
            }
            ParameterFile.WriteFloats(writer, network.BandMean);
            ParameterFile.WriteFloats(writer, network.BandStd);
            ParameterFile.WriteParameters(writer, network.Parameters);
        }
        return stream.ToArray();
    }

    /// <summary>Writes the checkpoint atomically and returns its version (see <see cref="VersionOf"/>).</summary>
    public static string Save(string path, ContrastiveNetwork network, TrainingRecord record, string encoderName = Encoders.ContrastiveName)
    {
        var bytes = ToBytes(network, record);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
        return VersionOf(bytes, encoderName);
    }

    /// <summary>
    /// The network, its record and its version: <paramref name="encoderName"/>, "-", and the first 12 hex digits of the
    /// file's SHA-256.
    /// </summary>
    public static (ContrastiveNetwork Network, TrainingRecord Record, string Version) Load(string path, string encoderName = Encoders.ContrastiveName)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (reader.ReadString() != Magic) throw new InvalidDataException("not an SSIS contrastive checkpoint");
            var format = reader.ReadInt32();
            if (format is not (1 or Format)) throw new InvalidDataException($"checkpoint format {format}, expected 1 or {Format}");
            var settings = JsonSerializer.Deserialize<ContrastiveSettings>(reader.ReadString()) ?? throw new InvalidDataException("no settings");
            var tracks = reader.ReadInt32();
            // A network saved before the library size was recorded is kept as it was: it is never outgrown.
            var libraryTracks = format == 1 ? ContrastiveEncoder.MaxTrainingTracks : reader.ReadInt32();
            var losses = Enumerable.Range(0, reader.ReadInt32()).Select(_ => new EpochLoss(reader.ReadInt32(), reader.ReadDouble())).ToList();
            var network = new ContrastiveNetwork(settings, ParameterFile.ReadFloats(reader), ParameterFile.ReadFloats(reader));
            ParameterFile.ReadParameters(reader, network.Parameters);
            return (network, new TrainingRecord(tracks, losses, libraryTracks), VersionOf(bytes, encoderName));
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException)
        {
            throw new InvalidDataException($"Contrastive checkpoint {path} is unreadable: {e.Message}", e);
        }
    }

    public static string VersionOf(byte[] checkpoint, string encoderName = Encoders.ContrastiveName) =>
        $"{encoderName}-{Convert.ToHexStringLower(SHA256.HashData(checkpoint))[..12]}";
}
