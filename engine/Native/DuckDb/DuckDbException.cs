namespace SSIS.Batch.Engine.Native.DuckDb;

/// <summary>A DuckDB call failed; the message is DuckDB's own.</summary>
public sealed class DuckDbException(string message) : Exception(message);
