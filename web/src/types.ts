// The wire types the UI uses, by the names its code reads best with. All are generated from the
// server's OpenAPI document (src/generated/api.ts, written by scripts/gen-api-types.mjs at build
// time); nothing here is declared by hand, so the client cannot drift from the server.
import type * as Api from "./generated/api.js";

export type Value = Api.JsonValue;
export type NotebookSummary = Api.NotebookSummary;
export type NotebookView = Api.NotebookView;
export type Block = Api.Block;
export type CellView = Api.CellView;
export type CellOutput = Api.CellOutput;
export type TableOutput = Api.CellOutputTable;
export type TextOutput = Api.CellOutputText;
export type HypothesesOutput = Api.CellOutputHypotheses;
export type MinimizedOutput = Api.CellOutputMinimized;
export type BisectedOutput = Api.CellOutputBisected;
export type PatchedOutput = Api.CellOutputPatched;
export type ErrorOutput = Api.CellOutputError;
export type PatchCandidate = Api.PatchCandidate;
export type Hypothesis = Api.Hypothesis;
export type ResultPage = Api.ResultPage;
export type Revision = Api.Revision;
export type SavedQuery = Api.SavedQuery;
export type SqlCatalog = Api.SqlCatalog;
export type Relation = Api.Relation;
export type ColumnSummary = Api.ColumnSummary;
export type BlockEdit = Api.BlockEdit;
export type ApiErrorBody = Api.ApiError;
export type LiveCaptureStatus = Api.LiveCaptureStatus;
export type Routes = Api.Routes;
