namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// Trainable values in the engine's weight files (the contrastive checkpoint, the segmenter's weights): a float array is
/// its length, then its values (IEEE 754, little-endian); a network is its parameter count, then each parameter's name
/// and values in the network's order.
/// </summary>
public static class ParameterFile
{
    public static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    public static float[] ReadFloats(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > 100_000_000) throw new InvalidDataException($"implausible array length {count}");
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = reader.ReadSingle();
        return values;
    }

    public static void WriteParameters(BinaryWriter writer, IReadOnlyList<Parameter> parameters)
    {
        writer.Write(parameters.Count);
        foreach (var parameter in parameters)
        {
            writer.Write(parameter.Name);
            WriteFloats(writer, parameter.Value);
        }
    }

    /// <summary>Reads into <paramref name="parameters"/> (a network built from the file's settings); a file that does not fit them is refused.</summary>
    public static void ReadParameters(BinaryReader reader, IReadOnlyList<Parameter> parameters)
    {
        if (reader.ReadInt32() != parameters.Count) throw new InvalidDataException("parameter count differs from the settings' network");
        foreach (var parameter in parameters)
        {
            var name = reader.ReadString();
            var values = ReadFloats(reader);
            if (name != parameter.Name || values.Length != parameter.Value.Length)
                throw new InvalidDataException($"parameter '{name}' ({values.Length} values) does not fit '{parameter.Name}' ({parameter.Value.Length})");
            values.CopyTo(parameter.Value, 0);
        }
    }
}
