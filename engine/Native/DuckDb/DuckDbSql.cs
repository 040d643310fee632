namespace SSIS.Batch.Engine.Native.DuckDb;

/// <summary>Quoting for names and literals spliced into DuckDB SQL.</summary>
public static class DuckDbSql
{
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";
}
