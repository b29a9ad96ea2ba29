Attribute VB_Name = "Minga"
' minga: los botones de la cinta «Minga» en Excel.
' Cada botón llama a Python con RunPython (xlwings): la acción trabaja sobre el libro activo
' y termina siempre en un mensaje en español (lo que hizo, o qué corregir).
Option Explicit

' --- Botones (también sirven para botones de formulario en una hoja) ----------------------

Public Sub Nuevo()
    RunPython "import addin; addin.nuevo()"
End Sub

Public Sub CartaGantt()
    RunPython "import addin; addin.carta_gantt()"
End Sub

Public Sub Seguimiento()
    RunPython "import addin; addin.seguimiento()"
End Sub

Public Sub ActaTraspaso()
    RunPython "import addin; addin.acta_traspaso()"
End Sub

Public Sub Validar()
    RunPython "import addin; addin.validar()"
End Sub

Public Sub Sincronizar()
    RunPython "import addin; addin.sincronizar()"
End Sub

' --- Cinta «Minga»: una llamada por botón (customUI.xml, onAction) ------------------------

Public Sub CintaNuevo(control As IRibbonControl)
    Nuevo
End Sub

Public Sub CintaCartaGantt(control As IRibbonControl)
    CartaGantt
End Sub

Public Sub CintaSeguimiento(control As IRibbonControl)
    Seguimiento
End Sub

Public Sub CintaActaTraspaso(control As IRibbonControl)
    ActaTraspaso
End Sub

Public Sub CintaValidar(control As IRibbonControl)
    Validar
End Sub

Public Sub CintaSincronizar(control As IRibbonControl)
    Sincronizar
End Sub
