namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>A header reader found the file damaged in a way ffprobe would not notice (it would report the damaged length).</summary>
public sealed class CorruptHeaderException(string message) : Exception(message);
